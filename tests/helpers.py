"""Helpers shared by the test modules."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def need(tool: str, path: str | None = None) -> str:
    """The tool's path (found on PATH when ``path`` is None), or skip the test — but fail it
    under NEWSVOICE_REQUIRE_TOOLS=1, which `make test` (and so CI) sets."""
    from pathlib import Path as _Path

    import pytest

    found = path if path is not None else shutil.which(tool)
    if found and _Path(found).exists():
        return found
    message = f"{tool} is not installed (run `make test` to install the checkers)"
    if os.environ.get("NEWSVOICE_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError  # pytest.skip raises


# The keys the JSON contract promises at least.
CONTRACT_KEYS = frozenset(
    {
        "id",
        "headline",
        "standfirst",
        "byline",
        "authors",
        "published",
        "modified",
        "language",
        "site_name",
        "url",
        "lead_figure",
        "paywall",
        "blocks",
        "text",
        "word_count",
        "provenance",
    }
)


def run_newsvoice(
    *args: str | Path, cwd: Path | None = None, stdin: IO[bytes] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m newsvoice ARGS``: the real entry point, UTF-8 pipes, no debug switch."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSVOICE_DEBUG"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "newsvoice", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
        cwd=cwd,
        env=env,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        check=False,
    )


Route = tuple[int, bytes, str, dict[str, str]]  # status, body, content type, extra headers


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    routes: dict[str, Route]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        status, body, content_type, headers = self.server.routes.get(
            self.path, (404, b"<h1>Not found</h1>", "text/html; charset=utf-8", {})
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(routes: dict[str, Route]) -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1 answering ``routes``; yields its base URL."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.routes = routes
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


# --- a local S3 server (moto's server mode), as s3fs tests itself ------------------------------


@contextlib.contextmanager
def s3_server(*buckets: str) -> Iterator[dict[str, str]]:
    """Start moto's S3 server on 127.0.0.1 with ``buckets``; yields the environment that
    points botocore (and so s3fs, and newsvoice in a subprocess) at it."""
    import logging

    import pytest

    server_module = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        env = {
            "AWS_ENDPOINT_URL": f"http://{host}:{port}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        with contextlib.closing(_s3_client(boto3, env)) as client:
            for bucket in buckets:
                client.create_bucket(Bucket=bucket)
        yield env
    finally:
        server.stop()


def s3_objects(env: dict[str, str], bucket: str, prefix: str = "") -> dict[str, bytes]:
    """Every object under ``prefix`` in ``bucket``: name after the prefix → bytes."""
    import boto3

    found: dict[str, bytes] = {}
    with contextlib.closing(_s3_client(boto3, env)) as client:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for page in pages:
            for item in page.get("Contents", []):
                body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"]
                with contextlib.closing(body):
                    found[item["Key"][len(prefix) :]] = body.read()
    return found


def _s3_client(boto3: Any, env: dict[str, str]) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_DEFAULT_REGION"],
    )
