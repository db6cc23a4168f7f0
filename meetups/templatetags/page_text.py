"""The `page_text` filter: staff-edited text as safe HTML, through the one renderer
(common.text) that every page with such text uses. `directory_text` is the same for text
imported from the council's page, whose links to the old guidelines document now go to the
guidelines page here."""

import re

from django import template
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.safestring import mark_safe

from common.text import render_page_text

from ..fields import validate_full_web_address

register = template.Library()


def safe_link(url: str) -> bool:
    """A link's target obeys the web-address rules of every form (no credentials, no
    internal host, nothing that breaks out of the link); else it is shown as text."""
    try:
        validate_full_web_address(url)
    except ValidationError:
        return False
    return True


@register.filter(name="page_text")
def page_text(text: str) -> str:
    return render_page_text(text, link_ok=safe_link)


# The program guidelines as a shared document, linked from the council's page before this
# site had its own /guidelines/ (tests/meetups/data/metro-meetups-page.md).
OLD_GUIDELINES_LINK = re.compile(
    r'href="https://docs\.google\.com/document/d/1IHJzo1OEb9qMW96k2lnfQYhBWX7-oCiqFS29QOkvKYQ'
    r'[^"]*"'
)


@register.filter
def directory_text(text: str) -> str:
    html = render_page_text(text, link_ok=safe_link)
    new = f'href="{reverse("intake:guidelines")}"'
    return mark_safe(OLD_GUIDELINES_LINK.sub(new, html))  # noqa: S308 (escaped by the renderer)
