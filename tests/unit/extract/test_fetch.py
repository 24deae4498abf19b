"""fetch.py against a real threaded HTTP server on 127.0.0.1; nothing else is contacted."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
import zlib
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

from newsvoice.errors import (
    BlockedAddress,
    ExitStatus,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InputTooLarge,
    NotHTML,
    TooManyRedirects,
    UnsafeURL,
)
from newsvoice.extract import fetch as fetch_module
from newsvoice.extract.fetch import check_address, check_url, fetch
from newsvoice.limits import Limits

if TYPE_CHECKING:
    from collections.abc import Iterator

loopback = pytest.mark.network_loopback

PAGE = b"<!doctype html><title>Hello</title><p>An article.</p>"


@cache
def _bomb() -> bytes:
    """About 50 MB of zeros, gzip-compressed to about 50 KB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(50)) + packer.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stop = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up early (on purpose) are not errors here


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        if headers is None:
            headers = {"Content-Type": "text/html; charset=utf-8"}
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, extra: dict[str, str] | None = None) -> None:
        self._send(302, headers={"Location": location, **(extra or {})})

    def _trickle(self, piece: bytes, every: float) -> None:
        try:
            while not self.server.stop.wait(every):
                self.wfile.write(piece)
                self.wfile.flush()
        except OSError:
            pass  # the client gave up, as it should

    def do_GET(self) -> None:  # one branch per route
        path = self.path.split("?")[0]
        port = self.server.server_address[1]
        if path == "/page":
            self._send(200, PAGE)
        elif path == "/latin1":
            self._send(200, b"caf\xe9", {"Content-Type": 'text/html; charset="ISO-8859-1"'})
        elif path == "/plain":
            self._send(200, b"just text", {"Content-Type": "text/plain"})
        elif path == "/untyped":
            self._send(200, PAGE, {})
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect(f"/chain/{left - 1}" if left > 1 else "/page")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/rel/a/b":
            self._redirect("../../page")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif path == "/to-other":
            self._redirect(f"http://127.0.0.2:{port}/page")
        elif path == "/to-creds":
            self._redirect(f"http://user:secret@127.0.0.1:{port}/page")
        elif path == "/set-cookie":
            self._redirect("/echo", {"Set-Cookie": "session=abc; Path=/"})
        elif path == "/echo":
            text = "".join(f"{k.lower()}: {v}\n" for k, v in self.headers.items())
            self._send(200, text.encode(), {"Content-Type": "text/plain"})
        elif path == "/missing":
            self._send(404, b"<p>not here</p>")
        elif path == "/broken":
            self._send(500, b"oops")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.7\n", {"Content-Type": "application/pdf"})
        elif path == "/png":
            self._send(200, b"\x89PNG\r\n\x1a\n", {"Content-Type": "image/png"})
        elif path == "/gzip":
            body = gzip.compress(PAGE)
            self._send(200, body, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
        elif path == "/deflate-raw":
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = packer.compress(PAGE) + packer.flush()
            self._send(200, body, {"Content-Type": "text/html", "Content-Encoding": "deflate"})
        elif path == "/deflate-zlib":
            body = zlib.compress(PAGE)
            self._send(200, body, {"Content-Type": "text/html", "Content-Encoding": "deflate"})
        elif path == "/brotli":
            self._send(
                200, b"\x0b\x02\x80", {"Content-Type": "text/html", "Content-Encoding": "br"}
            )
        elif path == "/bomb":
            self._send(200, _bomb(), {"Content-Type": "text/html", "Content-Encoding": "gzip"})
        elif path == "/huge-length":
            self._send(200, b"<p>", {"Content-Type": "text/html", "Content-Length": "20000000"})
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self._trickle(b"<p>" * 10_000, 0.001)
        elif path == "/slow-loris":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self._trickle(b".", 0.5)
        elif path == "/slow-headers":
            self.wfile.write(b"HTTP/1.0 200 OK\r\n")
            self._trickle(b"X-Slow: yes\r\n", 0.3)
        elif path == "/garbage":
            self.wfile.write(b"NOT HTTP AT ALL\r\n\r\n")
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.flush()
            self.server.stop.wait(1.5)
        else:
            self._send(404, b"no route")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _get(url: str, **kwargs: Any) -> fetch_module.Fetched:
    return fetch(url, allow_private=True, **kwargs)


# --- successful fetches -----------------------------------------------------------------------


@loopback
def test_fetches_a_page(server: str) -> None:
    got = _get(f"{server}/page#section")
    assert got.content == PAGE
    assert got.url == f"{server}/page"
    assert got.final_url == f"{server}/page"
    assert got.media_type == "text/html"
    assert got.charset == "utf-8"


@loopback
def test_reports_the_header_charset_and_plain_text(server: str) -> None:
    assert _get(f"{server}/latin1").charset == "ISO-8859-1"
    plain = _get(f"{server}/plain")
    assert (plain.media_type, plain.charset, plain.content) == ("text/plain", None, b"just text")


@loopback
def test_missing_content_type_is_allowed(server: str) -> None:
    got = _get(f"{server}/untyped")
    assert (got.media_type, got.charset, got.content) == ("", None, PAGE)


@loopback
@pytest.mark.parametrize("path", ["/gzip", "/deflate-raw", "/deflate-zlib"])
def test_decodes_content_encoding(server: str, path: str) -> None:
    assert _get(server + path).content == PAGE


@loopback
def test_follows_a_redirect_chain(server: str) -> None:
    got = _get(f"{server}/chain/5")
    assert got.final_url == f"{server}/page"
    assert got.url == f"{server}/chain/5"
    assert got.content == PAGE


@loopback
def test_resolves_relative_redirects(server: str) -> None:
    assert _get(f"{server}/rel/a/b").final_url == f"{server}/page"


@loopback
def test_sends_no_cookies_and_a_user_agent(server: str) -> None:
    headers = _get(f"{server}/set-cookie").content.decode()
    assert "cookie" not in headers
    assert "user-agent: newsvoice/" in headers
    assert f"host: {server.removeprefix('http://')}" in headers


@loopback
def test_connects_to_the_checked_address_and_keeps_the_host_name(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a second lookup would answer 127.0.0.3, where nothing listens."""
    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    answers = ["127.0.0.1", "127.0.0.3"]

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        return real(answers.pop(0) if host == "news.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(
        fetch_module, "check_address", lambda ip: None if str(ip) == "127.0.0.1" else "private"
    )
    headers = fetch(f"http://news.example:{port}/echo").content.decode()
    assert f"host: news.example:{port}" in headers
    assert answers == ["127.0.0.3"]  # resolved once; the connection used the checked answer


# --- refused: addresses -----------------------------------------------------------------------


@loopback
def test_loopback_server_is_blocked_by_default(server: str) -> None:
    with pytest.raises(BlockedAddress) as info:
        fetch(f"{server}/page")
    assert str(info.value) == (
        f"cannot fetch {server}/page: address 127.0.0.1 is loopback; "
        "pass --allow-private to allow it"
    )
    assert info.value.exit_code == ExitStatus.FETCH


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0.0.0.0", "0.0.0.0"),  # noqa: S104
        ("[::1]", "::1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("169.254.169.254", "169.254.169.254"),
        ("10.1.2.3", "10.1.2.3"),
    ],
)
def test_obfuscated_hosts_are_blocked_after_resolution(host: str, address: str) -> None:
    with pytest.raises(BlockedAddress, match=f"address {address} is "):
        fetch(f"http://{host}:9/")


def test_every_resolved_address_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 80)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(BlockedAddress, match=r"address 10\.0\.0\.7 is private"):
        fetch("http://mixed.example/")


def test_dns_failure_is_a_fetch_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchError) as info:
        fetch("https://no-such-host.example/a")
    assert str(info.value) == (
        "cannot fetch https://no-such-host.example/a: "
        "cannot resolve host no-such-host.example (Name or service not known)"
    )
    assert type(info.value) is FetchError


@loopback
def test_redirect_to_a_blocked_address_is_refused(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def only_first_loopback(ip: Any) -> str | None:
        return None if str(ip) == "127.0.0.1" else "loopback"

    monkeypatch.setattr(fetch_module, "check_address", only_first_loopback)
    with pytest.raises(BlockedAddress, match=r"127\.0\.0\.2:\d+/page: address 127\.0\.0\.2"):
        fetch(f"{server}/to-other")


@loopback
@pytest.mark.parametrize(("path", "needle"), [("/to-file", "file:"), ("/to-creds", "password")])
def test_redirect_to_an_unsafe_url_is_refused(server: str, path: str, needle: str) -> None:
    with pytest.raises(
        UnsafeURL, match=f"^cannot follow the redirect from {server}{path}: "
    ) as info:
        _get(server + path)
    assert needle in str(info.value)
    assert "secret" not in str(info.value)


# --- refused: responses -----------------------------------------------------------------------


@loopback
@pytest.mark.parametrize("path", ["/loop", "/chain/6"])
def test_too_many_redirects(server: str, path: str) -> None:
    with pytest.raises(TooManyRedirects, match="more than 5 redirects"):
        _get(server + path)


@loopback
def test_redirect_limit_comes_from_limits(server: str) -> None:
    with pytest.raises(TooManyRedirects, match="more than 0 redirects"):
        _get(f"{server}/chain/1", limits=Limits(max_redirects=0))


@loopback
@pytest.mark.parametrize(
    ("path", "status"), [("/missing", "HTTP 404 Not Found"), ("/broken", "HTTP 500")]
)
def test_http_errors(server: str, path: str, status: str) -> None:
    with pytest.raises(HTTPStatusError) as info:
        _get(server + path)
    assert str(info.value).startswith(f"cannot fetch {server}{path}: {status}")
    assert info.value.exit_code == ExitStatus.FETCH


@loopback
@pytest.mark.parametrize(("path", "media"), [("/pdf", "application/pdf"), ("/png", "image/png")])
def test_non_html_media_types_are_refused(server: str, path: str, media: str) -> None:
    with pytest.raises(NotHTML) as info:
        _get(server + path)
    assert str(info.value) == f"{server}{path} is {media}, not HTML or text"
    assert info.value.exit_code == ExitStatus.INPUT


@loopback
def test_accept_can_be_widened(server: str) -> None:
    assert _get(f"{server}/png", accept=("image/png",)).media_type == "image/png"


@loopback
def test_unsupported_content_encoding(server: str) -> None:
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
        _get(f"{server}/brotli")


# --- refused: size and time -------------------------------------------------------------------


@loopback
def test_gzip_bomb_is_stopped_at_the_decoded_cap(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputTooLarge, match="larger than the 10,000,000-byte limit") as info:
        _get(f"{server}/bomb")
    assert info.value.exit_code == ExitStatus.INPUT
    assert time.monotonic() - started < 3


@loopback
def test_oversized_content_length_is_refused_before_reading(server: str) -> None:
    with pytest.raises(InputTooLarge, match="is 20000000 bytes; the limit is 10000000"):
        _get(f"{server}/huge-length")


@loopback
def test_endless_body_is_cut_at_the_cap(server: str) -> None:
    with pytest.raises(InputTooLarge, match="larger than 100000 bytes"):
        _get(f"{server}/endless", limits=Limits(max_input_bytes=100_000))


@loopback
def test_slow_loris_hits_the_total_deadline(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="took longer than 2 s"):
        _get(f"{server}/slow-loris", limits=Limits(total_timeout=2, read_timeout=1))
    assert 1.9 < time.monotonic() - started < 2.9


@loopback
def test_slowly_trickled_headers_hit_the_total_deadline(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="took longer than 1 s"):
        _get(f"{server}/slow-headers", limits=Limits(total_timeout=1, read_timeout=0.5))
    assert time.monotonic() - started < 2


@loopback
def test_silent_server_hits_the_read_timeout(server: str) -> None:
    with pytest.raises(FetchTimeout, match=r"sent nothing for 0\.3 s"):
        _get(f"{server}/stall", limits=Limits(read_timeout=0.3))


# --- refused: connection ----------------------------------------------------------------------


@loopback
def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match=f"cannot fetch http://127.0.0.1:{port}/: cannot connect"):
        _get(f"http://127.0.0.1:{port}/")


@loopback
def test_tls_failure(server: str) -> None:
    url = server.replace("http://", "https://") + "/page"
    with pytest.raises(FetchError, match=f"cannot fetch {url}: cannot connect") as info:
        _get(url)
    assert "\n" not in str(info.value)


# --- check_url --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1#frag", "https://example.com/a?b=1"),
        ("  HTTP://Example.COM/a b ", "http://example.com/a%20b"),
        ("http://bücher.example/", "http://xn--bcher-kva.example/"),
    ],
)
def test_check_url_normalises(url: str, expected: str) -> None:
    assert check_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "is not an http or https URL"),
        ("ftp://example.com/", "is not an http or https URL"),
        ("javascript:alert(1)", "is not an http or https URL"),
        ("data:text/html,hi", "is not an http or https URL"),
        ("gopher://example.com/", "is not an http or https URL"),
        ("example.com/a", "is not an http or https URL"),
        ("http:///path", "no host name"),
        ("http://example.com:99999/", "invalid port"),
        ("http://exa\nmple.com/", "control characters"),
        ("http://[::1/", "invalid URL"),
        ("http://user:secret@example.com/", "user name or password"),
        ("ftp://user:secret@example.com/", "is not an http or https URL"),
    ],
)
def test_check_url_refuses(url: str, message: str) -> None:
    with pytest.raises(UnsafeURL) as info:
        check_url(url)
    assert message in str(info.value)
    assert "secret" not in str(info.value)
    assert info.value.exit_code == ExitStatus.INPUT


def test_check_url_length_cap() -> None:
    with pytest.raises(UnsafeURL, match="URL is 100020 characters long; the limit is 8192"):
        check_url("https://example.com/" + "a" * 100_000)
    assert check_url("https://example.com/abc", Limits(max_url_length=23))


@pytest.mark.parametrize(
    ("url", "hint"),
    [("example.com/a", "did you mean https://example.com/a?"), ("file:///x", "as a path")],
)
def test_check_url_hints(url: str, hint: str) -> None:
    with pytest.raises(UnsafeURL) as info:
        check_url(url)
    assert info.value.hint is not None
    assert hint in info.value.hint


def test_fetch_checks_the_url_first() -> None:
    with pytest.raises(UnsafeURL):
        fetch("file:///etc/passwd")


# --- check_address ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "shared"),
        ("0.0.0.0", "unspecified"),  # noqa: S104
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("fd00::1", "private"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::7f00:1", "nat64"),
        ("64:ff9b:1::1", "nat64"),
        ("2002:7f00:1::", "6to4"),
        ("2002:a00:1::", "6to4"),
        ("::7f00:1", "reserved"),
        ("192.0.2.1", "reserved"),
        ("2001:db8::1", "reserved"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
    ],
)
def test_check_address_blocks(address: str, reason: str) -> None:
    assert check_address(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "93.184.215.14",
        "2606:4700::1",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::",
    ],
)
def test_check_address_allows_public(address: str) -> None:
    assert check_address(ipaddress.ip_address(address)) is None


@loopback
def test_malformed_response_is_a_fetch_error(server: str) -> None:
    with pytest.raises(FetchError, match=r"^cannot fetch http://127\.0\.0\.1:\d+/garbage: "):
        _get(f"{server}/garbage")
