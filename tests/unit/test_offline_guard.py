"""The conftest guard that keeps the tests offline."""

from __future__ import annotations

import socket

import pytest


def test_the_network_guard_refuses_the_outside_world() -> None:
    refused = pytest.raises(ConnectionRefusedError, match="tests are offline")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, refused:
        sock.connect(("93.184.216.34", 80))
    refused = pytest.raises(ConnectionRefusedError, match="tests are offline")
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock, refused:
        sock.connect_ex(("2606:2800:220:1:248:1893:25c8:1946", 80, 0, 0))


def test_the_network_guard_lets_loopback_through() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
