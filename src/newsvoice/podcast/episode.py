"""One published episode, as recorded in ``DIR/episodes/<slug>/episode.json``.

The records are the site's source of truth: the feed, the index and the episode pages are
all rendered from them. A record is written (atomically) only after the files it names are
in place, so a crash at any moment leaves either the old record or the new complete one.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import SiteError
from ..io import write_atomic

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from ..model import Article
    from ..narration.timing import TimingTable

RECORD_NAME = "episode.json"
RECORD_VERSION = 1
# Names Windows refuses, whatever the extension; a slug is never one of them.


@dataclass(frozen=True, slots=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class Line:
    """One spoken unit of the transcript."""

    chapter: int
    block: int
    kind: str
    start_ms: int
    end_ms: int
    text: str
    part: int = 0  # which sentence of its paragraph, list item, ...: 0 starts one
    language: str = ""  # a quote in another language than the article's


@dataclass(frozen=True, slots=True)
class Episode:
    id: str  # the article id
    slug: str
    headline: str
    standfirst: str
    byline: str
    site_name: str
    url: str | None  # the original article
    language: str
    published: datetime  # the article's publication date (first publication when unknown)
    updated: datetime  # when the files last changed
    duration_ms: int
    audio: str  # file names inside the episode folder
    audio_bytes: int
    epub: str
    epub_bytes: int
    transcript: str
    chapters_file: str
    image: str
    voice: str  # engine/voice
    chapters: tuple[Chapter, ...]
    lines: tuple[Line, ...]
    readalong: str = ""
    readalong_bytes: int = 0
    daisy: str = ""  # a DAISY 2.02 book, zipped
    daisy_bytes: int = 0
    braille: str = ""  # BRF
    braille_bytes: int = 0
    inputs: str = ""  # fingerprint of what the files were made from (article, voice, version)
    incomplete: str = ""  # what the source page may not hold (Article.incomplete)

    @property
    def guid(self) -> str:
        """Stable for ever: derived from the article id, never from a file or URL."""
        try:
            return uuid.UUID(self.id).urn
        except ValueError:
            return f"newsvoice:{self.id}"

    @property
    def files(self) -> tuple[str, ...]:
        names = (
            self.audio,
            self.epub,
            self.transcript,
            self.chapters_file,
            self.image,
            self.readalong,
            self.daisy,
            self.braille,
        )
        return tuple(n for n in names if n)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat()
        data["updated"] = self.updated.isoformat()
        if not self.incomplete:
            del data["incomplete"]  # records of complete articles stay as they were
        for line in data["lines"]:
            if not line["language"]:
                del line["language"]  # (most lines are in the article's language)
        for name in ("daisy", "braille"):  # and those without these editions
            if not data[name]:
                del data[name], data[f"{name}_bytes"]
        return {"version": RECORD_VERSION, **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Episode:
        data = dict(data)
        if data.pop("version", None) != RECORD_VERSION:
            raise ValueError("unknown record version")
        data["published"] = datetime.fromisoformat(data["published"])
        data["updated"] = datetime.fromisoformat(data["updated"])
        data["chapters"] = tuple(Chapter(**c) for c in data["chapters"])
        data["lines"] = tuple(Line(**line) for line in data["lines"])
        return cls(**data)

    @classmethod
    def of(
        cls,
        article: Article,
        slug: str,
        timing: TimingTable,
        *,
        files: Mapping[str, str],  # audio, epub, transcript, chapters, image[, readalong, ...]
        sizes: Mapping[str, int],  # audio, epub[, readalong, daisy, braille]
        voice: str,
        published: datetime,
        updated: datetime,
        inputs: str = "",
    ) -> Episode:
        """The record of ``article``'s episode, narrated with ``timing``, in ``files``."""
        return cls(
            id=article.id,
            slug=slug,
            headline=article.headline,
            standfirst=article.standfirst,
            byline=article.byline,
            site_name=article.site_name,
            url=article.url,
            language=article.speech_language,
            published=published,
            updated=updated,
            duration_ms=timing.duration_ms,
            audio=files["audio"],
            audio_bytes=sizes["audio"],
            epub=files["epub"],
            epub_bytes=sizes["epub"],
            transcript=files["transcript"],
            chapters_file=files["chapters"],
            image=files["image"],
            voice=voice,
            chapters=tuple(Chapter(c.title, c.start_ms, c.end_ms) for c in timing.chapters),
            lines=tuple(
                Line(s.chapter, s.block, s.kind, s.start_ms, s.end_ms, s.text, s.part, s.language)
                for s in timing.segments
            ),
            readalong=files.get("readalong", ""),
            readalong_bytes=sizes.get("readalong", 0),
            daisy=files.get("daisy", ""),
            daisy_bytes=sizes.get("daisy", 0),
            braille=files.get("braille", ""),
            braille_bytes=sizes.get("braille", 0),
            inputs=inputs,
            incomplete=article.incomplete,
        )


def episodes_dir(site: Path) -> Path:
    return site / "episodes"


def read_record(folder: Path) -> Episode | None:
    """The record in ``folder``, or None when there is none (a half-made or removed episode)."""
    path = folder / RECORD_NAME
    try:
        data = json.loads(path.read_bytes())
        episode = Episode.from_dict(data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise SiteError(f"{path}: unreadable episode record ({exc})") from exc
    if episode.slug != folder.name:
        raise SiteError(f"{path}: records slug {episode.slug!r} but lives in {folder.name!r}")
    return episode


def read_records(site: Path) -> list[Episode]:
    """Every episode on the site, newest first."""
    root = episodes_dir(site)
    if not root.is_dir():
        return []
    records = [read_record(folder) for folder in sorted(root.iterdir()) if folder.is_dir()]
    episodes = [r for r in records if r is not None]
    return sorted(episodes, key=lambda e: (e.published, e.id), reverse=True)


def write_record(site: Path, episode: Episode) -> None:
    data = json.dumps(episode.to_dict(), ensure_ascii=False, indent=1) + "\n"
    write_atomic(episodes_dir(site) / episode.slug / RECORD_NAME, data.encode("utf-8"))
