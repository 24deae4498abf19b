"""Every size and time cap in one place (values from research/reliability.md §1.10)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_input_bytes: int = 10_000_000
    """Raw bytes read from a file, stdin or the network (after HTTP decompression)."""
    max_depth: int = 512
    """Deepest element nesting accepted in a document."""
    max_nodes: int = 200_000
    """Elements accepted in a document."""
    max_redirects: int = 5
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    max_url_length: int = 8_192
    max_image_bytes: int = 5_000_000
    """An image embedded in the page as a data: URL; larger ones are left out."""


DEFAULT_LIMITS = Limits()
