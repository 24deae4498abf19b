"""Fetch one URL safely: http(s) only, public addresses only, bounded in size and time.

Every connection is made by ``_GuardedBackend``, which resolves the host name once, checks
every address, and connects to a checked address while TLS (SNI and certificate) and the
Host header keep using the name. That closes the DNS-rebinding gap between "check" and
"connect". Redirects are followed by hand so each hop is checked again. Requests carry no
cookies, no credentials, and ignore proxy and ``.netrc`` settings from the environment.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import httpcore
import httpx

from ..errors import (
    BlockedAddress,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InputTooLarge,
    NotHTML,
    TooManyRedirects,
    UnsafeURL,
    reason,
)
from ..limits import DEFAULT_LIMITS, Limits
from ..version import __version__
from .decode import CappedInflater

if TYPE_CHECKING:
    import ssl
    from collections.abc import Iterator

    from httpcore._backends.base import SOCKET_OPTION

__all__ = ["Fetched", "check_address", "check_url", "fetch"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT_HTML = ("text/html", "application/xhtml+xml", "text/plain")
_TOO_LARGE_HINT = "check that this is an article, not a download or an archive"


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    """The URL as requested (after ``check_url`` normalisation)."""
    final_url: str
    """The URL after redirects."""
    content: bytes
    """The body, decoded from its Content-Encoding and capped."""
    media_type: str
    """Lower case, without parameters: "text/html"; "" when the server sent none."""
    charset: str | None
    """The charset parameter of the Content-Type header, if any."""


def _user_agent() -> str:
    return f"newsvoice/{__version__} (+https://github.com/newsvoice)"


@cache
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # certifi's CA bundle, as httpx uses by default


# --- addresses --------------------------------------------------------------------------------

_V4_SHARED = ipaddress.IPv4Network("100.64.0.0/10")
_PRIVATE = tuple(
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215, local use only


def check_address(ip: IPAddress) -> str | None:
    """None if ``ip`` is a public unicast address, else why not: "loopback", "private", ..."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return check_address(ip.ipv4_mapped)
        if ip in _NAT64 and check_address(ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)):
            return "nat64"
        if ip in _NAT64_LOCAL:
            return "nat64"
        if ip.sixtofour is not None and check_address(ip.sixtofour):
            return "6to4"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip in _V4_SHARED:
        return "shared"
    if any(ip in net for net in _PRIVATE):
        return "private"
    if isinstance(ip, ipaddress.IPv6Address) and int(ip) >> 32 == 0:
        return "reserved"  # IPv4-compatible ::a.b.c.d, deprecated; Python calls it global
    if not ip.is_global:
        return "reserved"
    return None


class _BlockedError(Exception):
    def __init__(self, address: IPAddress, reason: str) -> None:
        super().__init__(f"address {address} is {reason}")


class _ResolveError(Exception):
    pass


class _DeadlineError(Exception):
    pass


# --- the guarded network backend ---------------------------------------------------------------


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write also respects one overall deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _timeout(self, timeout: float | None) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise _DeadlineError
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._timeout(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._timeout(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname, self._timeout(timeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolve once, refuse non-public addresses, connect to the address that was checked."""

    def __init__(self, *, allow_private: bool, deadline: float) -> None:
        self._allow_private = allow_private
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        # getaddrinfo has no timeout of its own; the resolver's (a few seconds) applies.
        addresses = _resolve(host, port)
        if not self._allow_private:
            for address in addresses:
                reason = check_address(address)
                if reason:
                    raise _BlockedError(address, reason)
        error: httpcore.ConnectError | None = None
        for address in addresses:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise _DeadlineError
            wait = left if timeout is None else min(timeout, left)
            try:
                stream = super().connect_tcp(
                    str(address), port, wait, local_address, socket_options or []
                )
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        raise error or _ResolveError(f"cannot resolve host {host}")


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        why = reason(exc) if isinstance(exc, OSError) else str(exc)
        raise _ResolveError(f"cannot resolve host {host} ({why})") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise _ResolveError(f"cannot resolve host {host} (no addresses)")
    return addresses


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _GuardedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool that uses ``_GuardedBackend``."""

    def __init__(self, backend: _GuardedBackend) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=4,
            network_backend=backend,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = self._pool.handle_request(
            httpcore.Request(
                method=request.method,
                url=httpcore.URL(
                    scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
                ),
                headers=request.headers.raw,
                content=request.read(),
                extensions=request.extensions,
            )
        )
        if not isinstance(core.stream, Iterable):  # a sync pool never returns an async one
            raise TypeError("httpcore returned an asynchronous stream")
        return httpx.Response(
            status_code=core.status,
            headers=core.headers,
            stream=_ResponseStream(core.stream),
            extensions=core.extensions,
            request=request,
        )

    def close(self) -> None:
        self._pool.close()


# --- URLs -------------------------------------------------------------------------------------

_USERINFO = re.compile(r"(?<=//)[^/?#@]*@")


def _redact(url: str) -> str:
    return _USERINFO.sub("", url)


def check_url(url: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The normalised URL if newsvoice may fetch it; raises UnsafeURL otherwise."""
    text = url.strip()
    if len(text) > limits.max_url_length:
        raise UnsafeURL(f"URL is {len(text)} characters long; the limit is {limits.max_url_length}")
    shown = _redact(text)
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
        raise UnsafeURL(f"URL {shown!r} contains control characters")
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise UnsafeURL(f"invalid URL {shown}: {_redact(str(exc))}") from None
    if parsed.scheme not in ("http", "https"):
        hint = None
        if parsed.scheme == "file":
            hint = "give a local file as a path"
        elif not parsed.scheme:
            hint = f"did you mean https://{shown}?"
        raise UnsafeURL(f"{shown} is not an http or https URL", hint=hint)
    if parsed.userinfo:
        raise UnsafeURL(
            f"URL {shown} contains a user name or password; newsvoice does not send them"
        )
    if not parsed.host:
        raise UnsafeURL(f"URL {shown} has no host name")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise UnsafeURL(f"URL {shown} has an invalid port")
    return str(parsed.copy_with(fragment=None))


# --- fetching ---------------------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return re.sub(r"^\[Errno -?\d+\] ", "", text) or type(exc).__name__


@contextmanager
def _network_errors(url: str, limits: Limits, deadline: float) -> Iterator[None]:
    """Turn httpcore and guard exceptions into newsvoice errors that name ``url``."""
    try:
        yield
    except _BlockedError as exc:
        raise BlockedAddress(
            f"cannot fetch {url}: {exc}", hint="pass --allow-private to allow it"
        ) from None
    except _ResolveError as exc:
        raise FetchError(f"cannot fetch {url}: {exc}") from None
    except (_DeadlineError, httpcore.TimeoutException) as exc:
        if time.monotonic() >= deadline - 0.05 or isinstance(exc, _DeadlineError):
            why = f"it took longer than {limits.total_timeout:g} s"
        elif isinstance(exc, httpcore.ConnectTimeout):
            why = f"no connection within {limits.connect_timeout:g} s"
        else:
            why = f"the server sent nothing for {limits.read_timeout:g} s"
        raise FetchTimeout(f"cannot fetch {url}: {why}") from None
    except httpcore.ConnectError as exc:
        raise FetchError(f"cannot fetch {url}: cannot connect ({_one_line(exc)})") from None
    except httpcore.ProtocolError as exc:
        raise FetchError(f"cannot fetch {url}: invalid HTTP response ({_one_line(exc)})") from None
    except (httpcore.NetworkError, httpx.HTTPError) as exc:
        raise FetchError(f"cannot fetch {url}: connection failed ({_one_line(exc)})") from None


def _content_type(response: httpx.Response) -> tuple[str, str | None]:
    values = response.headers.get_list("content-type")
    if not values:
        return "", None
    media_type, *params = values[-1].split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset


def _read_body(response: httpx.Response, url: str, limits: Limits, deadline: float) -> bytes:
    cap = limits.max_input_bytes
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > cap:
        raise InputTooLarge(
            f"{url} is {int(length)} bytes; the limit is {cap}", hint=_TOO_LARGE_HINT
        )
    coding = response.headers.get("content-encoding", "identity").strip().lower()
    inflater = None
    if coding in ("gzip", "x-gzip", "deflate"):
        inflater = CappedInflater(cap, coding, what=url)
    elif coding not in ("", "identity"):
        raise FetchError(f"cannot fetch {url}: unsupported Content-Encoding {coding!r}")
    body = bytearray()
    received = 0
    for chunk in response.iter_raw():
        if time.monotonic() > deadline:
            raise _DeadlineError
        received += len(chunk)
        body += inflater.feed(chunk) if inflater else chunk
        if len(body) > cap or received > cap:
            raise InputTooLarge(f"{url} is larger than {cap} bytes", hint=_TOO_LARGE_HINT)
    if inflater:
        inflater.finish()
    return bytes(body)


def _next_hop(response: httpx.Response, current: str, limits: Limits) -> str | None:
    location = response.headers.get("location")
    if response.status_code not in _REDIRECTS or location is None:
        return None
    try:
        target = str(httpx.URL(current).join(location.strip()))
    except (httpx.InvalidURL, ValueError, TypeError):
        target = location
    try:
        return check_url(target, limits)
    except UnsafeURL as exc:
        raise UnsafeURL(f"cannot follow the redirect from {current}: {exc.message}") from None


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    accept: tuple[str, ...] = _ACCEPT_HTML,
) -> Fetched:
    """GET ``url`` within ``limits``; see the module docstring for what is checked.

    Raises UnsafeURL, NotHTML, InputTooLarge (exit 3) or FetchError and its subclasses
    BlockedAddress, FetchTimeout, TooManyRedirects, HTTPStatusError (exit 4).
    """
    start = check_url(url, limits)
    deadline = time.monotonic() + limits.total_timeout
    timeout = httpx.Timeout(
        connect=limits.connect_timeout,
        read=limits.read_timeout,
        write=limits.read_timeout,
        pool=limits.connect_timeout,
    )
    headers = {
        "User-Agent": _user_agent(),
        "Accept": ", ".join((*accept, "*/*;q=0.1")),
        "Accept-Encoding": "gzip, deflate",
    }
    current = start
    with _GuardedTransport(_GuardedBackend(allow_private=allow_private, deadline=deadline)) as tr:
        for _hop in range(limits.max_redirects + 1):
            request = httpx.Request(
                "GET", current, headers=headers, extensions={"timeout": timeout.as_dict()}
            )
            with _network_errors(current, limits, deadline):
                response = tr.handle_request(request)
                try:
                    target = _next_hop(response, current, limits)
                    if target is None:
                        return _finish(response, start, current, limits, deadline, accept)
                finally:
                    response.close()
            current = target
    raise TooManyRedirects(f"cannot fetch {start}: more than {limits.max_redirects} redirects")


def _finish(
    response: httpx.Response,
    start: str,
    current: str,
    limits: Limits,
    deadline: float,
    accept: tuple[str, ...],
) -> Fetched:
    if response.status_code >= 400:
        raise HTTPStatusError(
            f"cannot fetch {current}: HTTP {response.status_code} {response.reason_phrase}".strip()
        )
    media_type, charset = _content_type(response)
    if media_type and media_type not in accept:
        wanted = "HTML or text" if accept == _ACCEPT_HTML else " or ".join(accept)
        raise NotHTML(f"{current} is {media_type}, not {wanted}")
    content = _read_body(response, current, limits, deadline)
    return Fetched(start, current, content, media_type, charset)
