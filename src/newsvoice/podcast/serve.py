"""``newsvoice feed serve DIR``: a local preview server for the site.

Python's own ``http.server`` does not answer byte-range requests, and browsers cannot seek
an ``<audio>`` player without them; this handler does (one range per request), sends the
media types podcast apps expect, and allows cross-origin reads of transcripts and chapters
(the Podcasting 2.0 namespace asks for CORS), and the framing policy (framing.py: only
``embed.html`` may be framed). It listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import http.server
import os
import re
from functools import partial
from typing import TYPE_CHECKING, Any

from .config import load_config
from .feed import BRF_TYPE, DAISY_TYPE
from .framing import frame_policy

if TYPE_CHECKING:
    from pathlib import Path

    from .config import PodcastConfig

TYPES = {
    ".mp3": "audio/mpeg",
    ".m4b": "audio/mp4",
    ".epub": "application/epub+zip",
    ".vtt": "text/vtt; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".zip": DAISY_TYPE,
    ".brf": BRF_TYPE,
}
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        name = os.fspath(path).lower()
        if name.endswith(".chapters.json"):
            return "application/json+chapters"
        suffix = os.path.splitext(name)[1]  # noqa: PTH122 - the base works on str paths
        return TYPES.get(suffix) or super().guess_type(path)

    def __init__(self, *args: Any, config: PodcastConfig | None = None, **kwargs: Any) -> None:
        self.config = config  # before the base's __init__, which handles the request
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        for name, value in frame_policy(self.path.split("?", 1)[0], self.config).items():
            self.send_header(name, value)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        if os.environ.get("NEWSVOICE_SERVE_QUIET"):
            return
        super().log_message(format, *args)

    def send_head(self):  # type: ignore[no-untyped-def]
        match = _RANGE.match(self.headers.get("Range", "").strip())
        path = self.translate_path(self.path)
        if not match or not os.path.isfile(path):  # noqa: PTH113 - the base works on str paths
            return super().send_head()
        size = os.path.getsize(path)  # noqa: PTH202
        first, last = match.groups()
        if first:
            start, end = int(first), int(last) if last else size - 1
        elif last:
            start, end = max(0, size - int(last)), size - 1
        else:
            return super().send_head()
        end = min(end, size - 1)
        if start > end or start >= size:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        handle = open(path, "rb")  # noqa: SIM115, PTH123 - the base closes what send_head returns
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return _Limited(handle, end - start + 1)


class _Limited:
    """A file object that stops after ``remaining`` bytes (for copyfile)."""

    def __init__(self, handle: object, remaining: int) -> None:
        self.handle = handle
        self.remaining = remaining

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        if size < 0 or size > self.remaining:
            size = self.remaining
        data: bytes = self.handle.read(size)  # type: ignore[attr-defined]
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()  # type: ignore[attr-defined]


def make_server(site: Path, bind: str = "127.0.0.1", port: int = 8000) -> http.server.HTTPServer:
    handler = partial(SiteHandler, directory=str(site), config=load_config(site))
    return http.server.ThreadingHTTPServer((bind, port), handler)
