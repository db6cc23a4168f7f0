"""Passkeys on the add-passkey page: browsers refuse an IP address (127.0.0.1) as a
passkey's domain, so on one the page says so and links the same page on localhost."""

import ipaddress

from django import template

register = template.Library()


def _hostname_and_port(host: str) -> tuple[str, str]:
    if host.startswith("["):  # [::1]:8000
        hostname, _, rest = host[1:].partition("]")
        return hostname, rest
    hostname, colon, port = host.rpartition(":")
    return (hostname, f":{port}") if colon else (host, "")


@register.simple_tag(takes_context=True)
def localhost_instead(context) -> str:
    """This page's address on localhost when the site is reached by an IP address, else ""."""
    request = context.get("request")
    if request is None:
        return ""
    hostname, port = _hostname_and_port(request.get_host())
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        return ""
    return f"{request.scheme}://localhost{port}{request.get_full_path()}"
