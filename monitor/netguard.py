"""One address policy for every outgoing request (feeds, redirects, ``explain URL``, webhook).

Only globally routable addresses are connected to, unless the watchlist allows private
ones (``polling.allow_private_addresses``).  The check is made on the address actually
connected to: a host name is resolved once, each address it resolves to is checked, and
the connection is made to a checked address (the host name stays in the Host header and
in TLS's SNI and certificate check).  There is no second look-up a DNS answer could
change between the check and the connect, and every redirect hop opens its connection
through the same check.

Use ``guarded_client(allow_private=...)`` (an ``httpx.Client``) or
``guarded_transport(allow_private=...)`` (an ``httpx.HTTPTransport`` for a client of your
own).  A refused address fails the request with ``httpx.ConnectError`` whose message
starts with ``refused:``; ``refusal(address)`` says why an address is refused.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Networks that are refused even though ``is_global`` may call them global.
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_BENCHMARK = ipaddress.ip_network("198.18.0.0/15")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")
_LIMITED_BROADCAST = ipaddress.ip_address("255.255.255.255")

ALLOW_HINT = "set polling.allow_private_addresses to allow it"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _IPV4_COMPATIBLE or ip in _IPV4_TRANSLATED or ip in _NAT64:
        return low32
    if ip in _SIX_TO_FOUR:
        return ip.sixtofour
    if ip in _TEREDO and ip.teredo is not None:
        return ip.teredo[1]  # the client's address (ipaddress undoes the obfuscation)
    return None


def refusal(address: str | IPAddress, *, allow_private: bool = False) -> str | None:
    """Why a connection to ``address`` is refused, or None if it is allowed.

    Never allowed: the unspecified address (0.0.0.0, ::), multicast and broadcast.
    Allowed only with ``allow_private``: loopback, private, link-local, carrier-grade
    NAT (100.64/10), reserved and documentation ranges, and the IPv6 forms that carry
    any of those (IPv4-mapped and -compatible, 6to4, Teredo, NAT64).
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0]) if isinstance(address, str) else address
    except ValueError:
        return f"{address!r} is not an IP address"
    if ip.is_unspecified or ip.is_multicast or ip == _LIMITED_BROADCAST:
        return f"{ip} is not an address a request can go to"
    if isinstance(ip, ipaddress.IPv6Address) and not ip.is_loopback:
        inner = _embedded_ipv4(ip)
        if inner is not None:  # the IPv4 address it leads to decides
            why = refusal(inner, allow_private=allow_private)
            return None if why is None else f"{ip} (which carries {why})"
    if allow_private:
        return None
    local = (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip in _CGNAT
        or ip in _BENCHMARK
        or (isinstance(ip, ipaddress.IPv6Address) and (ip.is_site_local or ip in _NAT64_LOCAL))
    )
    if local:
        return f"{ip} is a private or local address ({ALLOW_HINT})"
    return None


#: A look-up with no timeout of its own still ends: the resolver may hang, the poll may not.
DEFAULT_RESOLVE_TIMEOUT = 30.0


def _lookup(host: str, port: int, timeout: float) -> list[Any]:
    """``getaddrinfo`` with a time limit.  The C resolver cannot be interrupted, so the
    look-up runs in a daemon thread that is abandoned when time is up (it cannot hold up
    the poll, nor the process's exit)."""
    result: list[Any] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.extend(
                socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
            )
        except BaseException as e:  # handed to the caller's thread
            error.append(e)

    worker = threading.Thread(target=run, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"DNS look-up of {host} took longer than {timeout:g} s")
    if error:
        raise error[0]
    return result


def _is_address(host: str) -> bool:
    """True if ``host`` is an IP address (IPv6 with or without a zone), not a name."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def resolve(host: str, port: int, timeout: float | None = None) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order (one look-up), within
    ``timeout`` seconds (``TimeoutError``, an ``OSError``, after it).  An address is read
    as it is, in this thread (``AI_NUMERICHOST``: no resolver asked, nothing to wait for):
    a thread a connection costs a wide poll's process its start and its join."""
    if _is_address(host):
        infos = socket.getaddrinfo(
            host,
            port,
            type=socket.SOCK_STREAM,
            proto=socket.IPPROTO_TCP,
            flags=socket.AI_NUMERICHOST,
        )
    else:
        infos = _lookup(host, port, DEFAULT_RESOLVE_TIMEOUT if timeout is None else timeout)
    out: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in out:
            out.append(address)
    return out


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to addresses the policy allows."""

    def __init__(self, *, allow_private: bool = False, allow_addresses: Iterable[str] = ()) -> None:
        super().__init__()
        self.allow_private = allow_private
        self.allow_addresses = frozenset(str(ipaddress.ip_address(a)) for a in allow_addresses)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        name = host.strip("[]")
        try:  # the connect timeout bounds the look-up too
            addresses = resolve(name, port, timeout)
        except (OSError, UnicodeError) as e:
            raise httpcore.ConnectError(f"cannot resolve {name}: {e}") from e
        error: Exception | None = None
        for address in _allowed(name, addresses, self.allow_private, self.allow_addresses):
            try:  # connect to the checked address itself: no second look-up
                return super().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                error = e
        assert error is not None
        raise error


class GuardedAsyncBackend(httpcore.AnyIOBackend):
    """The same policy for ``httpx.AsyncClient`` (the webhook channel)."""

    def __init__(self, *, allow_private: bool = False, allow_addresses: Iterable[str] = ()) -> None:
        super().__init__()
        self.allow_private = allow_private
        self.allow_addresses = frozenset(str(ipaddress.ip_address(a)) for a in allow_addresses)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        name = host.strip("[]")
        loop = asyncio.get_running_loop()
        try:
            addresses = await loop.run_in_executor(None, resolve, name, port, timeout)
        except (OSError, UnicodeError) as e:
            raise httpcore.ConnectError(f"cannot resolve {name}: {e}") from e
        error: Exception | None = None
        for address in _allowed(name, addresses, self.allow_private, self.allow_addresses):
            try:
                return await super().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                error = e
        assert error is not None
        raise error


def _allowed(
    name: str, addresses: list[str], allow_private: bool, allow_addresses: frozenset[str]
) -> list[str]:
    """The addresses the policy lets us connect to; none raises ``httpcore.ConnectError``."""
    allowed: list[str] = []
    reasons: list[str] = []
    for address in addresses:
        why = refusal(address, allow_private=allow_private)
        if why is None or address in allow_addresses:
            allowed.append(address)
        else:
            reasons.append(why)
    if not allowed:
        detail = reasons[0] if reasons else "no address"
        raise httpcore.ConnectError(f"refused: {name}: {detail}")
    return allowed


def guarded_async_transport(
    *, allow_private: bool = False, allow_addresses: Iterable[str] = (), **kwargs: Any
) -> httpx.AsyncHTTPTransport:
    """An ``httpx.AsyncHTTPTransport`` whose connections obey the policy."""
    transport = httpx.AsyncHTTPTransport(**kwargs)
    pool = getattr(transport, "_pool", None)
    if not hasattr(pool, "_network_backend"):  # pragma: no cover - httpx/httpcore changed
        raise RuntimeError("cannot install the address policy on this httpx version")
    pool._network_backend = GuardedAsyncBackend(  # type: ignore[union-attr]
        allow_private=allow_private, allow_addresses=allow_addresses
    )
    return transport


def guarded_transport(
    *, allow_private: bool = False, allow_addresses: Iterable[str] = (), **kwargs: Any
) -> httpx.HTTPTransport:
    """An ``httpx.HTTPTransport`` (same arguments) whose connections obey the policy;
    ``allow_addresses`` are allowed whatever it says (one intranet host, say)."""
    transport = httpx.HTTPTransport(**kwargs)
    pool = getattr(transport, "_pool", None)
    if not hasattr(pool, "_network_backend"):  # pragma: no cover - httpx/httpcore changed
        raise RuntimeError("cannot install the address policy on this httpx version")
    pool._network_backend = GuardedBackend(  # type: ignore[union-attr]
        allow_private=allow_private, allow_addresses=allow_addresses
    )
    return transport


def guarded_client(
    *, allow_private: bool = False, allow_addresses: Iterable[str] = (), **kwargs: Any
) -> httpx.Client:
    """An ``httpx.Client`` (same arguments) whose every connection, redirects included,
    obeys the policy.  Proxy settings from the environment are not used: a proxy would
    make the connection on our behalf, unchecked."""
    kwargs.setdefault("trust_env", False)
    # These configure the connections, so they go to the transport.
    transport_kwargs = {k: kwargs.pop(k) for k in _TRANSPORT_ARGS if k in kwargs}
    transport_kwargs["trust_env"] = kwargs["trust_env"]
    transport = guarded_transport(
        allow_private=allow_private, allow_addresses=allow_addresses, **transport_kwargs
    )
    return httpx.Client(transport=transport, **kwargs)


_TRANSPORT_ARGS = ("verify", "cert", "http1", "http2", "limits")
