"""A local stand-in for Google Translate's speech service, reached the way gTTS reaches the
real one: through an HTTPS proxy.

gTTS sends every request through ``urllib.request.getproxies()`` (HTTPS_PROXY) with
certificate checks off, so a process started with ``HTTPS_PROXY=http://127.0.0.1:PORT`` runs
the library's own request code unchanged, and only the transport ends here. This server
answers the proxy's CONNECT, terminates TLS with a test-only self-signed certificate
(``tests/data/gtts/``), parses the ``batchexecute`` form that gTTS posts (the ``jQ1olc`` RPC
with the text and the language), speaks the text with espeak-ng in that language, encodes
it as 24 kHz mono MP3 (what the service returns) and answers in the service's framing. Each
request is recorded, so a test can say what gTTS asked for.
"""

from __future__ import annotations

import base64
import json
import shutil
import socketserver
import ssl
import subprocess
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    import socket

DATA = Path(__file__).resolve().parents[2] / "data" / "gtts"
RPC = "jQ1olc"
PATH = "/_/TranslateWebserverUi/data/batchexecute"


@dataclass(frozen=True)
class Request:
    host: str  # what the client asked the proxy to CONNECT to
    path: str
    text: str
    language: str


def _speak(text: str, language: str) -> bytes:
    espeak, ffmpeg = shutil.which("espeak-ng"), shutil.which("ffmpeg")
    assert espeak, "espeak-ng is installed by the project's setup"
    assert ffmpeg, "ffmpeg is installed by the project's setup"
    wav = subprocess.run(
        [espeak, "-b", "1", "-v", language, "--stdout", "--stdin"],
        input=text.encode("utf-8"), capture_output=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0",
         "-ac", "1", "-ar", "24000", "-b:a", "32k", "-f", "mp3", "pipe:1"],
        input=wav, capture_output=True, check=True, timeout=60,
    ).stdout  # fmt: skip


def _parse_rpc(body: bytes) -> tuple[str, str]:
    """The text and language of gTTS's ``f.req`` form field."""
    form = urllib.parse.parse_qs(body.decode("ascii"))
    [[[rpc, parameter, _, _]]] = json.loads(form["f.req"][0])
    assert rpc == RPC
    text, language, _speed, _ = json.loads(parameter)
    return str(text), str(language)


def _answer(mp3: bytes) -> bytes:
    """The service's framing: an anti-JSON prefix, then a line with the base64 MP3 as the
    (JSON-escaped) payload of the RPC."""
    payload = json.dumps([base64.b64encode(mp3).decode("ascii")])
    line = json.dumps(
        [["wrb.fr", RPC, payload, None, None, None, "generic"]], separators=(",", ":")
    )
    return f")]}}'\n\n{len(line)}\n{line}\n".encode()


def _read_headers(stream: socket.socket | ssl.SSLSocket) -> tuple[str, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = stream.recv(65536)
        if not piece:
            raise ConnectionError("the client hung up")
        data += piece
    head, _, rest = data.partition(b"\r\n\r\n")
    first, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return first, headers, rest


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        connect, _, _ = _read_headers(self.request)
        method, target, _ = connect.split(" ", 2)
        if method != "CONNECT":
            self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with self.server.tls.wrap_socket(self.request, server_side=True) as tls:
            first, headers, body = _read_headers(tls)
            while len(body) < int(headers.get("content-length", "0")):
                body += tls.recv(65536)
            _, path, _ = first.split(" ", 2)
            text, language = _parse_rpc(body)
            self.server.requests.append(Request(target.split(":")[0], path, text, language))
            answer = _answer(_speak(text, language))
            tls.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                + f"Content-Length: {len(answer)}\r\nConnection: close\r\n\r\n".encode()
                + answer
            )


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(DATA / "stub-cert.pem", DATA / "stub-key.pem")
        self.requests: list[Request] = []


@dataclass
class SpeechService:
    """``with SpeechService() as service:`` — give a process ``service.environment``."""

    _server: _Server = field(default_factory=_Server)

    @property
    def proxy(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def environment(self) -> dict[str, str]:
        return {
            "HTTPS_PROXY": self.proxy,
            "https_proxy": self.proxy,
            "NO_PROXY": "",
            "no_proxy": "",
        }

    @property
    def requests(self) -> list[Request]:
        return list(self._server.requests)

    def __enter__(self) -> Self:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
