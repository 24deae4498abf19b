"""Cleaning rules as data: the shipped ``data/rules.toml`` plus any ``--rules`` files."""

from __future__ import annotations

import itertools
import re
import tomllib
import warnings
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import soupsieve

from ..errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

SECTIONS = ("paywall", "boilerplate")
KEYS = ("classes", "text", "selectors")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def compile_selector(selector: str) -> soupsieve.SoupSieve:
    """A CSS selector soupsieve can match, or ValueError saying why not."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated-but-working forms like :contains()
            return soupsieve.compile(selector)
    except (soupsieve.SelectorSyntaxError, NotImplementedError, ValueError) as exc:
        raise ValueError(str(exc).splitlines()[0]) from exc


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One section of rules, compiled."""

    classes: frozenset[str]
    text: re.Pattern[str] | None
    selectors: tuple[soupsieve.SoupSieve, ...]

    def matches_text(self, text: str) -> bool:
        return self.text is not None and self.text.search(text) is not None


@dataclass(frozen=True, slots=True)
class Rules:
    paywall: RuleSet
    boilerplate: RuleSet

    @property
    def selectors(self) -> tuple[soupsieve.SoupSieve, ...]:
        return self.paywall.selectors + self.boilerplate.selectors


def class_tokens(value: str) -> list[str]:
    """Split a class or id value into lower-case tokens: ``shareBar-top`` → share, bar, top.

    The whole (lower-cased) value and its dash-joined word pairs are included too, so rules
    may name ``ad-slot`` as well as ``ad``.
    """
    words = [w for w in _TOKEN_SPLIT.split(_CAMEL.sub("-", value).lower()) if w]
    pairs = [f"{a}-{b}" for a, b in itertools.pairwise(words)]
    return [value.lower(), *words, *pairs]


_RESPONSIVE = re.compile(
    r"^(?:hidden|visible|show|hide)-(?:xs|sm|md|lg|xl|xxl|s|m|l|mobile|phone|tablet|desktop)\b"
)


def head_tokens(value: str) -> list[str]:
    """The tokens that say what an element *is*: the whole value, its first word and its
    first word pair (``comments-area`` → comments-area, comments). Later words qualify a
    part or a state (``field--label-hidden``, ``elementor-widget-text-editor``, ``cmp-text``
    is a component's text), and a responsive-visibility utility (``hidden-xs``) names a
    screen size, not hidden content."""
    lowered = value.lower()
    if _RESPONSIVE.match(lowered):
        return []
    words = [w for w in _TOKEN_SPLIT.split(_CAMEL.sub("-", value).lower()) if w]
    head = [lowered, *words[:1]]
    if len(words) >= 2:
        head.append(f"{words[0]}-{words[1]}")
    return head


def _compile(section: str, data: dict[str, list[str]]) -> RuleSet:
    patterns = data["text"]
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"rules: bad [{section}] text pattern {pattern!r}: {exc}") from exc
    text = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
    selectors = []
    for selector in data["selectors"]:
        try:
            selectors.append(compile_selector(selector))
        except ValueError as exc:
            raise ConfigError(f"rules: bad [{section}] CSS selector {selector!r}: {exc}") from exc
    return RuleSet(
        classes=frozenset(c.lower() for c in data["classes"]),
        text=text,
        selectors=tuple(selectors),
    )


def _validated(raw: dict[str, Any], origin: str) -> dict[str, dict[str, list[str]]]:
    unknown = set(raw) - set(SECTIONS)
    if unknown:
        raise ConfigError(
            f"rules file {origin}: unknown section [{sorted(unknown)[0]}]",
            hint=f"use {', '.join(f'[{s}]' for s in SECTIONS)}",
        )
    out: dict[str, dict[str, list[str]]] = {}
    for section in SECTIONS:
        table = raw.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"rules file {origin}: [{section}] must be a table")
        bad_keys = set(table) - set(KEYS)
        if bad_keys:
            raise ConfigError(
                f"rules file {origin}: unknown key {sorted(bad_keys)[0]!r} in [{section}]",
                hint=f"use {', '.join(KEYS)}",
            )
        out[section] = {}
        for key in KEYS:
            values = table.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ConfigError(f"rules file {origin}: {section}.{key} must be a list of strings")
            out[section][key] = values
    return out


def _parse(text: str, origin: str) -> dict[str, dict[str, list[str]]]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rules file {origin} is not valid TOML: {exc}") from exc
    return _validated(raw, origin)


@cache
def _shipped() -> dict[str, dict[str, list[str]]]:
    text = resources.files("newsvoice.extract").joinpath("data/rules.toml").read_text("utf-8")
    return _parse(text, "newsvoice/extract/data/rules.toml")


def load_rules(extra: Iterable[Path] = ()) -> Rules:
    """The shipped rules extended by each user file in ``extra``."""
    merged = {s: {k: list(v) for k, v in t.items()} for s, t in _shipped().items()}
    for path in extra:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read rules file {path}: {exc}") from exc
        for section, table in _parse(text, str(path)).items():
            for key, values in table.items():
                merged[section][key].extend(values)
    return Rules(
        paywall=_compile("paywall", merged["paywall"]),
        boilerplate=_compile("boilerplate", merged["boilerplate"]),
    )


@cache
def default_rules() -> Rules:
    return load_rules()
