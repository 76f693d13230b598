"""The client's address, for every per-address throttle, cap and log.

``X-Forwarded-For`` is a header any client can send, so it is read only when the direct
peer (the TCP connection's other end) is one of ``settings.TRUSTED_PROXIES`` (addresses
or networks, from the ``TRUSTED_PROXIES`` environment variable; empty by default). Then
the header is walked from the right, skipping the trusted proxies, and the first address
that is not one of them is the client: nginx's ``$proxy_add_x_forwarded_for`` *appends*
the peer it saw, so whatever a client wrote itself is on the left and never chosen.

daphne runs without ``--proxy-headers``: daphne 4.2 would take the *leftmost* address
of the header (the client's own) for every peer, with no list of trusted proxies.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5123"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address_from(peer: str | None, forwarded_for: str | None) -> str:
    """The client's address given the direct peer and the ``X-Forwarded-For`` value."""
    peer = peer or ""
    networks = trusted_networks()
    peer_address = _parse(peer)
    if not networks or peer_address is None or not _is_trusted(peer_address, networks):
        return str(peer_address) if peer_address is not None else peer
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # garbage a client wrote: stop at the last hop a proxy vouched for
        if not _is_trusted(address, networks):
            return str(address)
        peer_address = address
    return str(peer_address)


def client_address(request) -> str:
    """The client's address of a Django or DRF request."""
    meta = request.META
    return client_address_from(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"))


def scope_client_address(scope) -> str:
    """The client's address of an ASGI scope (a WebSocket connection)."""
    client = scope.get("client") or (None, None)
    forwarded = [
        value.decode("latin-1")
        for name, value in scope.get("headers") or ()
        if name.lower() == b"x-forwarded-for"
    ]
    return client_address_from(client[0], ",".join(forwarded))
