"""The newspaper4k test articles: body text against ``txt/``, metadata against ``metadata/``.

Body: the Zyte benchmark's 4-gram metric (``bench.zyte.score``). Metadata, compared after
Unicode NFKC normalisation, white space collapsed and case folded:

- headline: equal, or equal once the annotation's own trailing site name is removed (the
  annotations are newspaper4k's output, which sometimes keeps "… ：日本経済新聞");
- byline: the same set of names (reported only: several annotations are wrong, e.g. a
  domain name as the author);
- date: the same calendar day as ``publish_date`` (reported; pages without one are left out);
- language: the same primary subtag.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

CORPUS = Path(__file__).resolve().parent / "newspaper4k"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    html: bytes
    body: str | None  # the accepted full text, when there is one
    meta: dict[str, Any] | None  # title, authors, publish_date, language, when annotated


def pages(corpus: Path = CORPUS) -> Iterator[Page]:
    for path in sorted((corpus / "html").glob("*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        txt = corpus / "txt" / f"{name}.txt"
        meta_path = corpus / "metadata" / f"{name}.json"
        meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else None
        yield Page(
            name,
            (meta or {}).get("url", ""),
            gzip.decompress(path.read_bytes()),
            txt.read_text("utf-8") if txt.exists() else None,
            meta,
        )


def digest(corpus: Path = CORPUS) -> str:
    """sha256 over every file of the corpus, so a changed corpus is noticed."""
    h = hashlib.sha256()
    for path in sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix != ".md"):
        h.update(path.relative_to(corpus).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


_SITE_SUFFIX = re.compile(r"\s*[|:：\-–—]\s*[^|:：\-–—]{2,40}$")


def same_headline(expected: str, got: str) -> bool:
    want, have = norm(expected), norm(got)
    if not want:
        return True
    return have == want or (bool(have) and have == norm(_SITE_SUFFIX.sub("", expected)))


def same_authors(expected: list[str], got: list[str]) -> bool:
    return {norm(a) for a in expected} == {norm(a) for a in got}


def same_day(expected: str | None, got: datetime | None) -> bool | None:
    """None when the annotation has no date to compare with."""
    if not expected:
        return None
    return got is not None and got.date() == datetime.fromisoformat(expected).date()


def same_language(expected: str, got: str) -> bool:
    return expected.split("-")[0].lower() == got.split("-")[0].lower()
