"""URL hygiene for links and identifiers: absolute, http/https/mailto only, no tracking."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from urllib.parse import urljoin, urlsplit, urlunsplit

import nh3

from ..text import clean_chars

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|ocid|cmpid|_ga|igshid)$")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
MAX_URL = 4096


@lru_cache(maxsize=4096)
def readers_accept(url: str) -> bool:
    """Does a WHATWG URL parser accept ``url`` as a link? Asked of nh3 (ammonia), the same
    allowlist sanitiser the EPUB self-check runs. ``urlsplit`` also takes hosts such as
    ``example.<b>`` or ``1.2.3.4.5`` and ports past 65535, which readers drop; kept, such a
    link made the self-check reject the whole book."""
    kept = nh3.clean(
        f'<a href="{escape(url)}">x</a>',
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes=set(LINK_SCHEMES),
        link_rel=None,
    )
    return "href=" in kept


def clean_url(url: str | None) -> str | None:
    """Absolute http(s) URL without fragment, credentials or tracking parameters, or None."""
    if not url:
        return None
    url = _CONTROL_OR_SPACE.sub("", clean_chars(url))
    if len(url) > MAX_URL:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not _TRACKING.match(pair.split("=")[0])
    )
    cleaned = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))
    return cleaned if readers_accept(cleaned) else None


def safe_href(href: str | None, base: str | None) -> str | None:
    """A link target fit to keep: absolute http/https/mailto, else None (link unwrapped)."""
    if not href:
        return None
    href = _CONTROL_OR_SPACE.sub("", clean_chars(href))
    if not href or href.startswith("#") or len(href) > MAX_URL:
        return None
    try:
        scheme = urlsplit(href).scheme.lower()
        if scheme == "mailto":
            return href if readers_accept(href) else None
        if scheme and scheme not in LINK_SCHEMES:
            return None
        absolute = urljoin(base, href) if base else href
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return absolute if readers_accept(absolute) else None
