"""Text staff edit in the admin without a deploy: the home page and the guidelines."""

from django.db import models


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
        return self.title
