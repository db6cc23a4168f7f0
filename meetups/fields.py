"""The form field for a group's public web address.

A web address is written into the exported Markdown page as a link, so it may hold only what
a web address can: http or https, and the characters RFC 3986 allows. Spaces, quotes,
angle and square brackets, braces, backslashes and unbalanced parentheses have no place in
one and would break the link (``https://ok.test/](javascript:…)``); letters outside ASCII
are written the way browsers send them (punycode host, percent-encoded path).
"""

import re
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.encoding import iri_to_uri

from .listing_text import balanced_parentheses

NOT_IN_A_WEB_ADDRESS = re.compile(r"[\s\"<>\\^`{|}\[\]\x00-\x1f\x7f]")
WEB_ADDRESS_MESSAGE = (
    "Enter a full web address, like https://www.meetup.com/your-group/, as your browser shows "
    "it: spaces, quotes, <, >, [, ], {, }, |, \\, ^ and ` cannot be part of one."
)
REFERENCE_MESSAGE = (
    "This web address holds text like “&amp;” that a web page reads as one character. "
    "Write the & as %26."
)
# "&amp;", "&#60;": a page (and the exported Markdown) reads these as one character.
CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
PARENTHESES_MESSAGE = (
    "This web address has a parenthesis that is never closed. Copy it again from your "
    "browser's address bar."
)


def ascii_web_address(url: str) -> str:
    """The same address in ASCII: the host in punycode, the rest percent-encoded."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    host, colon, port = hostport.partition(":")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(WEB_ADDRESS_MESSAGE, code="invalid") from None
    netloc = f"{userinfo}{at}{host}{colon}{port}"
    return iri_to_uri(urlunsplit(parts._replace(netloc=netloc)))


def validate_web_address(url: str) -> None:
    if not url:
        return
    if NOT_IN_A_WEB_ADDRESS.search(url):
        raise ValidationError(WEB_ADDRESS_MESSAGE, code="not_in_a_web_address")
    if CHARACTER_REFERENCE.search(url):
        raise ValidationError(REFERENCE_MESSAGE, code="character_reference")
    if not balanced_parentheses(url):
        raise ValidationError(PARENTHESES_MESSAGE, code="unbalanced_parentheses")


class WebAddressField(forms.URLField):
    """An http(s) address, in ASCII, holding nothing that would break a Markdown link."""

    default_validators = [URLValidator(schemes=["http", "https"]), validate_web_address]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        # Checked before Django's own clean-up, which would quietly drop some of these.
        if isinstance(value, str) and NOT_IN_A_WEB_ADDRESS.search(value.strip()):
            raise ValidationError(WEB_ADDRESS_MESSAGE, code="not_in_a_web_address")
        value = super().to_python(value)
        return ascii_web_address(value) if value else value
