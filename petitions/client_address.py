"""
Who is asking: the client's address, read only where our own proxy wrote it, and kept only as a
keyed hash.

Behind a proxy every request comes from the proxy's address, so the client's address must be
read from a header the proxy sets. Anyone can send that header too, so it is trusted only when
the settings say a proxy of ours writes it (`TRUSTED_PROXY_HEADER`), and for X-Forwarded-For
only the entry our own proxies appended (`TRUSTED_PROXY_COUNT` from the right) counts: what the
client put further left is whatever it liked.

The raw address is never stored or logged: rate limits and django-axes see `client_address_hash`
(or its IPv6-shaped form), a keyed HMAC that cannot be reversed without the SECRET_KEY.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

HASH_SALT = "candlelight.client-address"
HASH_LENGTH = 32  # hex characters: 128 bits, plenty to keep clients apart
# An IPv6 client usually controls a whole /64: counting its addresses one by one would let it
# rotate past any rate limit.
IPV6_CLIENT_PREFIX = 64


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _valid_address(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _from_proxy_header(request: HttpRequest, header: str) -> IPAddress | None:
    value = request.META.get(header, "")
    if header != "HTTP_X_FORWARDED_FOR":
        return _valid_address(value)
    entries = [entry for entry in value.split(",") if entry.strip()]
    count = max(settings.TRUSTED_PROXY_COUNT, 1)
    if len(entries) < count:
        return None
    return _valid_address(entries[-count])


def client_ip(request: HttpRequest) -> IPAddress:
    """The client's IP address, parsed; a header is believed only if the settings name it."""
    header = settings.TRUSTED_PROXY_HEADER
    if header and (address := _from_proxy_header(request, header)):
        return address
    return _valid_address(request.META.get("REMOTE_ADDR", "")) or ipaddress.IPv4Address(0)


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text, e.g. "203.0.113.7"."""
    return str(client_ip(request))


def _client_key(address: IPAddress) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(address)


# The network a signature is stored with, so staff can invalidate a burst from one network by
# CIDR (a keyed hash can only match an exact address): an IPv4 /24 or an IPv6 /48, coarse
# enough not to single out a household, erased with the signature's other personal data.
SIGNATURE_NETWORK_PREFIX = {4: 24, 6: 48}


def network_of(address: IPAddress) -> str:
    """The address's network, e.g. "203.0.113.0/24" or "2001:db8:1::/48"."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = SIGNATURE_NETWORK_PREFIX[address.version]
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def client_network(request: HttpRequest) -> str:
    """The client's network (`network_of` its address)."""
    return network_of(client_ip(request))


def _digest(address: IPAddress) -> str:
    return salted_hmac(HASH_SALT, _client_key(address), algorithm="sha256")


def hash_of(address: IPAddress) -> str:
    """A keyed hash of the address (its /64 for IPv6), for rate limits."""
    return _digest(address).hexdigest()[:HASH_LENGTH]


def client_address_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address (`hash_of` it)."""
    return hash_of(client_ip(request))


def axes_client_pseudonym(request: HttpRequest) -> str:
    """
    The client for django-axes: the keyed hash written as an IPv6 address.

    Axes stores the client in a GenericIPAddressField (PostgreSQL `inet`), so a plain hex hash
    would be refused; 128 bits of the HMAC make an address that identifies the client as well
    as its real address would, yet reveals nothing.
    """
    return str(ipaddress.IPv6Address(_digest(client_ip(request)).digest()[:16]))


def axes_client_str(
    username: str, ip_address: str, user_agent: str, path_info: str, request: HttpRequest
) -> str:
    """What axes writes in its log lines: the path only, never a username or an address."""
    return f"{{path_info: {path_info!r}}}"
