"""Who may put the site's pages in a frame: only ``embed.html``, and only where the site's
``embed_frame_ancestors`` allows (default ``*``); every other page refuses (``'none'``).

A ``<meta>`` Content-Security-Policy cannot say this (browsers ignore ``frame-ancestors``
there), so it goes in HTTP headers: ``newsvoice feed serve`` sends them, and ``DIR/_headers``
states them for static hosts that read that file (Netlify, Cloudflare Pages); the README
gives the nginx and Apache lines. The patterns in ``_headers`` do not overlap, so no host
ever merges two policies for one page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import PodcastConfig

HEADERS_NAME = "_headers"
EMBED_SUFFIX = "/embed.html"
REFUSE = "frame-ancestors 'none'"


def frame_policy(path: str, config: PodcastConfig | None) -> dict[str, str]:
    """The framing headers for the file at URL path ``path``."""
    if path.endswith(EMBED_SUFFIX):
        ancestors = config.embed_frame_ancestors if config is not None else "*"
        return {"Content-Security-Policy": f"frame-ancestors {ancestors}"}
    return {"Content-Security-Policy": REFUSE, "X-Frame-Options": "DENY"}


def headers_file(config: PodcastConfig) -> bytes:
    """``_headers``: the same policy for a static host."""
    refuse = frame_policy("/", config)
    lines = ["# Written by newsvoice from newsvoice.toml (embed_frame_ancestors)."]
    for pattern in ("/", "/index.html", "/episodes/*/", "/episodes/*/index.html"):
        lines.append(pattern)
        lines += [f"  {name}: {value}" for name, value in refuse.items()]
    lines.append("/episodes/*/embed.html")
    lines += [f"  {n}: {v}" for n, v in frame_policy(EMBED_SUFFIX, config).items()]
    return ("\n".join(lines) + "\n").encode("utf-8")
