"""Topics a program manager keeps (on the staff pages) and organizers or staff tag groups
with, so members can find groups by subject on the directory."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    name = models.CharField(_("Topic"), max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    # The addresses it had before a rename: the directory's old links lead to it still.
    former_slugs = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
