"""Text staff edit in the admin without a deploy: the home page and the guidelines."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# A page whose heading is not its own: the home page's is the program's name, so its title
# is no field to edit, and staff read this name for it instead.
UNTITLED = {"home": _("Home page introduction")}


class ProgramPage(models.Model):
    """Text staff edit without a deploy: the guidelines and the home page introduction.
    The body is plain text: blank lines separate paragraphs, "## " starts a heading and
    "- " a list item."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    # Published on the home and guidelines pages: long enough for any guidelines.
    body = models.TextField(max_length=50_000)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.name)

    @property
    def has_title(self) -> bool:
        """Whether the title shows on the site (the guidelines' heading); the home page
        shows only the body, under the program's name."""
        return self.slug not in UNTITLED

    @property
    def name(self):
        """What staff call the page: its title, or what it is if it has none."""
        return UNTITLED.get(self.slug, self.title)
