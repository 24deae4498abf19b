"""The podcast's own settings: ``DIR/newsvoice.toml``, written by ``newsvoice feed init``.

The file is the user's: newsvoice writes it once (with comments) and afterwards only reads it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, reason
from ..io import write_atomic
from ..text import squash

if TYPE_CHECKING:
    from pathlib import Path

CONFIG_NAME = "newsvoice.toml"

# Apple's category list (top level and the News/Science/... subcategories newsrooms use).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Government": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health"),
    "History": (),
    "Leisure": ("Hobbies", "Home & Garden"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel"),
    "Sports": (),
    "Technology": (),
}
# One CSP frame-ancestors source: a keyword, a scheme, or a host with its scheme and port.
_SOURCE = re.compile(
    r"'self'|'none'|\*|[a-z][a-z0-9+.-]*:"
    r"|(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?(?:/[^\s;,']*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")


@dataclass(frozen=True, slots=True)
class PodcastConfig:
    title: str = "Narrated news"
    description: str = "News articles read aloud, with transcripts and accessible e-books."
    author: str = "newsvoice"
    owner_name: str = ""
    owner_email: str = ""
    language: str = "en"
    category: str = "News"  # "News" or "News > Politics"
    explicit: bool = False
    artwork: str = ""  # an image file (square, 1400-3000 px) or an https URL; "" draws one
    base_url: str = ""  # where DIR is served, e.g. https://example.org/listen/
    locked: bool = True
    voice: str = "auto"
    embed_frame_ancestors: str = "*"  # who may frame embed.html (CSP); other pages: no one

    @property
    def categories(self) -> tuple[str, str]:
        """(category, subcategory); the subcategory may be ""."""
        top, _, sub = (part.strip() for part in self.category.partition(">"))
        return top, sub


def normalise_base_url(url: str) -> str:
    """An http(s) URL ending in one slash, or a ConfigError."""
    url = url.strip()
    if not re.match(r"https?://[^/\s]+", url) or any(c.isspace() for c in url):
        raise ConfigError(
            f"bad base URL {url!r}", hint="give the http(s) address DIR is served from"
        )
    return url.rstrip("/") + "/"


def _check(config: PodcastConfig, path: Path) -> PodcastConfig:
    top, sub = config.categories
    if top not in CATEGORIES:
        raise ConfigError(
            f"{path}: unknown category {config.category!r}",
            hint="use one of Apple's categories, e.g. 'News' or 'News > Politics'",
        )
    if sub and sub not in CATEGORIES[top]:
        raise ConfigError(
            f"{path}: {sub!r} is not a subcategory of {top!r}",
            hint=f"use one of: {', '.join(CATEGORIES[top]) or '(none)'}",
        )
    if config.owner_email and not _EMAIL.fullmatch(config.owner_email):
        raise ConfigError(f"{path}: bad owner_email {config.owner_email!r}")
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", config.language):
        raise ConfigError(f"{path}: bad language {config.language!r}", hint="use e.g. en or en-GB")
    if not squash(config.title):
        raise ConfigError(f"{path}: the podcast needs a title")
    sources = config.embed_frame_ancestors.split()
    if not sources or not all(_SOURCE.fullmatch(source) for source in sources):
        raise ConfigError(
            f"{path}: bad embed_frame_ancestors {config.embed_frame_ancestors!r}",
            hint="a CSP source list: *, 'self', 'none', https:, or https://example.org ...",
        )
    if config.base_url:
        config = replace(config, base_url=normalise_base_url(config.base_url))
    return config


def load_config(site: Path) -> PodcastConfig | None:
    """The site's settings, or None when there is no newsvoice.toml yet."""
    path = site / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {reason(exc)}") from exc
    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    podcast = data.get("podcast", {})
    if not isinstance(podcast, dict):
        raise ConfigError(f"{path}: [podcast] must be a table")
    known = {f.name: f.type for f in fields(PodcastConfig)}
    values: dict[str, Any] = {}
    for key, value in podcast.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown setting {key!r}", hint=f"known: {', '.join(known)}")
        wanted = bool if known[key] == "bool" else str
        if not isinstance(value, wanted):
            raise ConfigError(f"{path}: {key} must be a {wanted.__name__}")
        values[key] = squash(value) if isinstance(value, str) else value
    return _check(PodcastConfig(**values), path)


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'


def config_text(config: PodcastConfig) -> str:
    """The commented newsvoice.toml for ``config``."""

    def s(value: str) -> str:
        return _toml_string(value)

    def b(value: bool) -> str:
        return "true" if value else "false"

    return f"""\
# newsvoice podcast settings. `newsvoice publish SRC... --site DIR` reads this file;
# `newsvoice feed check DIR` checks what was published. Values are plain text.

[podcast]
# The show's name and what it is, as podcast apps list it (description: up to 4000 bytes).
title = {s(config.title)}
description = {s(config.description)}
# Who makes it (itunes:author), and who to contact about the feed (itunes:owner; not shown
# to listeners, but directories use the email to verify ownership).
author = {s(config.author)}
owner_name = {s(config.owner_name)}
owner_email = {s(config.owner_email)}
# The language of the episodes (BCP 47, e.g. en, en-GB, de).
language = {s(config.language)}
# One of Apple's categories, optionally with a subcategory: "News", "News > Politics",
# "Science > Physics", "Technology", ...
category = {s(config.category)}
# Does any episode contain explicit content?
explicit = {b(config.explicit)}
# Square artwork, 1400 to 3000 px, JPEG or PNG: a file (relative to this folder) or an
# https URL. Leave empty and newsvoice draws one from the title.
artwork = {s(config.artwork)}
# The public address of this folder; every URL in the feed starts with it.
base_url = {s(config.base_url)}
# podcast:locked: "yes" asks other platforms not to import the feed without the owner.
locked = {b(config.locked)}
# The voice preset episodes are read with (`newsvoice voices` lists them); auto = by language.
voice = {s(config.voice)}
# Who may show an episode's embeddable player (episodes/<slug>/embed.html) in an iframe: a
# Content-Security-Policy frame-ancestors list, e.g. "https://news.example.org". The other
# pages may not be framed at all. `feed serve` and the _headers file send it.
embed_frame_ancestors = {s(config.embed_frame_ancestors)}
"""


def write_config(site: Path, config: PodcastConfig, *, force: bool = False) -> Path:
    path = site / CONFIG_NAME
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists", hint="edit it, or pass --force to replace it")
    config = _check(config, path)
    try:
        site.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create {site}: {reason(exc)}") from exc
    write_atomic(path, config_text(config).encode("utf-8"))
    return path
