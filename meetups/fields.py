"""The form field for a group's public web address.

A web address is written into the exported Markdown page as a link, so it may hold only what
a web address can: http or https, and the characters RFC 3986 allows. Spaces, quotes,
angle and square brackets, braces, backslashes and unbalanced parentheses have no place in
one and would break the link (``https://ok.test/](javascript:…)``); letters outside ASCII
are written the way browsers send them (punycode host, percent-encoded path).

It is also requested by the weekly link check, so it must name a public site: no user name
or password, no internal host (meetups.addresses). One field (`WebAddressField`) and one
validator (`validate_web_address`, also on the model fields) hold these rules for every form,
the admin and the link check's "moved to" address.
"""

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext_lazy as _

from .addresses import host_problem, resolves_to_internal
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

SCHEME_MESSAGE = _(
    "A web address here starts with https:// (or http://); “%(scheme)s:” cannot be saved."
)
CREDENTIALS_MESSAGE = _(
    "A web address with a user name or password in it cannot be saved. Leave out the part "
    "before the @."
)
INTERNAL_MESSAGE = _(
    "This web address points inside a private network or to this server, which visitors "
    "cannot reach. Enter the group's public web address."
)
HOST_MESSAGE = _(
    "Enter a web address with a full site name, like https://www.meetup.com/your-group/."
)
INVISIBLE_MESSAGE = _(
    "This web address holds invisible or direction-changing characters. Copy it again from "
    "your browser's address bar, or type it."
)
PORT_MESSAGE = _(
    "The port number after the “:” must be between 1 and 65535. Most web addresses have "
    "none: leave it out."
)
MAX_LENGTH = 500

# The host of "http://[2001:db8::1]/": its brackets are the one place [ and ] belong.
IPV6_HOST = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#\[\]@]*@)?)\[[0-9A-Fa-f:.]+\]")
# The port as written after the host (None: no port, or one that is not digits).
PORT = re.compile(r":([0-9]+)$")


def _breaks_a_link(url: str) -> bool:
    """A character no web address holds (the brackets of an IPv6 host aside)."""
    return bool(NOT_IN_A_WEB_ADDRESS.search(IPV6_HOST.sub(r"\1ipv6", url)))


def _bad_port(url: str) -> bool:
    hostport = urlsplit(url).netloc.rpartition("@")[2]
    match = PORT.search(hostport)
    return bool(match) and not 1 <= int(match[1]) <= 65535


def _has_invisible_characters(url: str) -> bool:
    # Zero-width and bidi characters (Cf), unassigned or private-use ones: a host written
    # with them would be quietly rewritten (IDNA drops some) into another address.
    return any(unicodedata.category(c) in ("Cf", "Cn", "Co", "Cs", "Zl", "Zp") for c in url)


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


def normal_web_address(url: str) -> str:
    """The one spelling kept: ASCII, scheme and host in lower case, no trailing dot on the
    host, no default port."""
    url = ascii_web_address(url)
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise ValidationError(WEB_ADDRESS_MESSAGE, code="invalid") from None
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    scheme = parts.scheme.lower()
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    if "@" in parts.netloc:  # kept, to be refused by validate_web_address
        host = parts.netloc.rpartition("@")[0] + "@" + host
    return urlunsplit(parts._replace(scheme=scheme, netloc=host))


def validate_web_address(url: str) -> None:
    """The first problem found, as its own message (one message per address)."""
    if not url:
        return
    if _breaks_a_link(url):
        raise ValidationError(WEB_ADDRESS_MESSAGE, code="not_in_a_web_address")
    if _has_invisible_characters(url):
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible_characters")
    if CHARACTER_REFERENCE.search(url):
        raise ValidationError(REFERENCE_MESSAGE, code="character_reference")
    if not balanced_parentheses(url):
        raise ValidationError(PARENTHESES_MESSAGE, code="unbalanced_parentheses")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(SCHEME_MESSAGE % {"scheme": parts.scheme}, code="scheme")
    if "@" in parts.netloc:
        raise ValidationError(CREDENTIALS_MESSAGE, code="credentials")
    if _bad_port(url):
        raise ValidationError(PORT_MESSAGE, code="port")
    host = urlsplit(ascii_web_address(url)).hostname
    if not host:
        raise ValidationError(HOST_MESSAGE, code="no_host")
    problem = host_problem(host)
    if problem == "not a full host name":
        raise ValidationError(HOST_MESSAGE, code="no_host")
    if problem:
        raise ValidationError(INTERNAL_MESSAGE, code="internal_address")


URL_SYNTAX = URLValidator(schemes=["http", "https"])


def validate_full_web_address(url: str) -> None:
    """The rules with their own messages first, then the general syntax (the field's
    "invalid" message): an address with two problems gets one message, about the first."""
    validate_web_address(url)
    if url:
        URL_SYNTAX(url)


def resolves_internally(url: str) -> bool:
    """The address's host name resolves to an internal address (meetups.addresses)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname
    if not host:
        return False
    return resolves_to_internal(host, port or (443 if parts.scheme == "https" else 80))


class WebAddressField(forms.URLField):
    """An http(s) address, in ASCII, holding nothing that would break a Markdown link. A
    form saving one also resolves its host name and refuses it when any answer is internal
    (`resolve=False` for checking a stored address without a lookup)."""

    default_validators = [validate_full_web_address]

    def __init__(self, *, resolve: bool = True, **kwargs):
        self.resolve = resolve
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", MAX_LENGTH)
        super().__init__(**kwargs)
        self.error_messages.setdefault("invalid", WEB_ADDRESS_MESSAGE)
        if self.error_messages["invalid"] == forms.URLField.default_error_messages["invalid"]:
            self.error_messages["invalid"] = WEB_ADDRESS_MESSAGE

    def run_validators(self, value):
        """The first problem only: two validators refusing the same address would list
        the same message twice."""
        if value in self.empty_values:
            return
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as error:
                if getattr(error, "code", None) in self.error_messages:
                    error.message = self.error_messages[error.code]
                raise ValidationError(
                    error.messages[:1], code=getattr(error, "code", None)
                ) from None

    def to_python(self, value):
        # Checked before Django's own clean-up, which would quietly drop some of these.
        if isinstance(value, str) and _breaks_a_link(value.strip()):
            raise ValidationError(WEB_ADDRESS_MESSAGE, code="not_in_a_web_address")
        if isinstance(value, str) and _has_invisible_characters(value):
            raise ValidationError(INVISIBLE_MESSAGE, code="invisible_characters")
        value = super().to_python(value)
        if value and _bad_port(value):
            raise ValidationError(PORT_MESSAGE, code="port")
        return normal_web_address(value) if value else value

    def clean(self, value):
        value = super().clean(value)
        if value and self.resolve and resolves_internally(value):
            raise ValidationError(INTERNAL_MESSAGE, code="internal_address")
        return value


def web_address_problem(url: str) -> str:
    """What a form would say against this address, or "" when a form would take it (the
    rules as written: no lookup, so pages that publish a stored address stay quick)."""
    try:
        WebAddressField(required=False, resolve=False).clean(url)
    except ValidationError as error:
        return " ".join(str(message) for message in error.messages)
    return ""
