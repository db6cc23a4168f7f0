"""Which network addresses the server may connect to on a group's behalf: public ones only.

A stored web address is requested by the weekly link check, so an address inside the
server's network (loopback, private, link-local, shared, multicast, reserved, unspecified,
IPv4 or IPv6, IPv4 written inside IPv6) would let anyone with a group map that network.
Forms refuse such hosts as written (`host_problem`) and, when saving, a name that resolves
to one (`resolves_to_internal`, a 2-second lookup; a name that does not resolve is taken,
and the weekly link check reports it); the link check resolves each host once,
refuses the whole name if any answer is not public, and connects to the address it checked
(`resolve_public`), so a second DNS answer cannot point it elsewhere.

LINK_CHECK_ALLOW_PRIVATE (off by default) lets the link check, and the forms, take loopback
and private addresses: for the tests' and the benchmark's local servers only.
"""

import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Names that never mean a public site (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal),
# and the suffixes common home and office networks use for their own machines.
INTERNAL_NAMES = ("localhost",)
INTERNAL_SUFFIXES = (
    ".localhost",
    ".local",
    ".localdomain",
    ".internal",
    ".intranet",
    ".lan",
    ".home",
    ".corp",
    ".home.arpa",
    ".arpa",
    ".invalid",
    ".onion",
)
# IPv6 ranges that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052/8215):
# the IPv4 address is the one really reached.
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
SHARED = ipaddress.ip_network("100.64.0.0/10")


class NotPublic(Exception):
    """The host is, or resolves to, an address inside a network."""


def allow_private() -> bool:
    return bool(getattr(settings, "LINK_CHECK_ALLOW_PRIVATE", False))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if any(ip in network for network in NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IPAddress) -> bool:
    """Only globally reachable unicast addresses."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return is_public(embedded)
        if ip.teredo:
            return False
    if isinstance(ip, ipaddress.IPv4Address) and ip in SHARED:
        return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def literal_address(host: str) -> IPAddress | None:
    """The address a host names when it is one, in any spelling a resolver accepts:
    `127.0.0.1`, `127.1`, `2130706433`, `0x7f.1`, `0177.0.0.1`, `::ffff:127.0.0.1`."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host):
        try:  # the C library's reading, the one getaddrinfo uses
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def host_problem(host: str) -> str:
    """Why a host (as written, after IDNA) cannot be a public site, or "" when it can."""
    host = host.lower().strip("[]").rstrip(".")
    ip = literal_address(host)
    if ip is not None:
        return "" if is_public(ip) or allow_private() else "internal address"
    if host in INTERNAL_NAMES or host.endswith(INTERNAL_SUFFIXES):
        return "" if allow_private() else "internal name"
    if "." not in host:
        return "not a full host name"
    return ""


# How long a form waits for a host name to resolve before taking the address unchecked.
RESOLVE_TIMEOUT = 2.0


def resolves_to_internal(host: str, port: int, *, timeout: float = RESOLVE_TIMEOUT) -> bool:
    """True when a host name resolves (within `timeout` seconds) to any address that is not
    public, by the link check's own test (`resolve_public`); unless LINK_CHECK_ALLOW_PRIVATE.
    A name that does not resolve, or not in time, is False: the weekly link check reports
    it. Literal addresses and internal names are `host_problem`'s."""
    if allow_private() or literal_address(host) is not None:
        return False
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        pool.submit(resolve_public, host, port).result(timeout=timeout)
    except NotPublic:
        return True
    except (OSError, UnicodeError, ValueError, FutureTimeout):
        return False
    finally:
        pool.shutdown(wait=False)  # a lookup past its time finishes on its own
    return False


def resolve_public(host: str, port: int) -> list[tuple]:
    """The (family, sockaddr) pairs to connect to for host:port, resolved once. Raises
    NotPublic when any answer is not a public address (unless LINK_CHECK_ALLOW_PRIVATE),
    OSError when the name does not resolve."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    if not answers:
        raise OSError("no address")
    pairs = [(family, sockaddr) for family, _type, _proto, _name, sockaddr in answers]
    if not allow_private():
        for _family, sockaddr in pairs:
            if not is_public(ipaddress.ip_address(sockaddr[0].split("%", 1)[0])):
                raise NotPublic(host)
    return pairs


def check_peer(sock: socket.socket) -> None:
    """The address a socket really reached is public (unless LINK_CHECK_ALLOW_PRIVATE)."""
    if allow_private():
        return
    peer = sock.getpeername()[0]
    if not is_public(ipaddress.ip_address(peer.split("%", 1)[0])):
        raise NotPublic(peer)
