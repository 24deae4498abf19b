"""Publish articles as podcast episodes into a folder any static web server can serve.

Per article, outside the site lock: narrate (through the sentence cache, so a corrected
article re-synthesises only its changed sentences), build the EPUB, the transcript, the
chapters and the episode art in a staging folder. Then, holding the lock: move the files
into ``episodes/<slug>/`` under names that carry their content hash, write the episode
record, the feed (one rename), the pages, and only then delete files no record names.

So at every moment the feed on disk names files that exist with the sizes it states, and a
run killed at any point leaves the previous feed (or the new complete one) in place.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ConfigError, SiteError, reason
from ..io import STATE_DIR, folder_lock, sha256_file, slugify, source_date, write_atomic
from ..narration.presets import preset_lexicon
from ..narration.timing import chapters_json, webvtt
from ..render.cover import CoverText, cover_png, cover_text
from ..version import __version__
from .config import PodcastConfig, load_config, normalise_base_url, write_config
from .duplicates import one_per_article
from .episode import (
    RECORD_NAME,
    Episode,
    episodes_dir,
    read_records,
    write_record,
)
from .feed import FEED_NAME, build_feed, read_feed, same_items
from .framing import HEADERS_NAME, headers_file
from .listening import EMBED_NAME, OEMBED_NAME, embed_page, episode_page, oembed
from .site import ASSETS, FAVICON_NAME, FAVICON_PX, SEARCH_NAME, asset, index_pages, search_index

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence

    from ..model import Article
    from ..render.audio import AudioResult

Status = Literal["added", "updated", "unchanged", "duplicate"]
ART_SIZE = (1400, 1400)
STAGING = "staging"
STALE_STAGING_SECONDS = 24 * 3600
PAGE_NAME = "index.html"
PAGES_STAMP = "pages"  # in .newsvoice/: what the episode pages were rendered with


@dataclass(frozen=True, slots=True)
class PublishOptions:
    base_url: str | None = None  # overrides the config's; seeds a new config
    voice: str | None = None  # None: the config's voice
    online: bool = False  # "auto" may choose an online voice (gTTS)
    cache_dir: Path | str | None = None  # a folder or an fsspec URL
    use_cache: bool = True
    jobs: int | None = None
    readalong: bool = False  # also a read-along EPUB (Media Overlays) per episode
    daisy: bool = False  # also a DAISY 2.02 talking book (zip) per episode
    braille: bool = False  # also a braille file (BRF) per episode
    progress: Callable[[str], None] | None = None  # told each article's headline as it starts


@dataclass(frozen=True, slots=True)
class Published:
    id: str
    guid: str
    slug: str
    status: Status
    headline: str
    audio_url: str
    audio_bytes: int
    duration_ms: int
    engine_calls: int
    cache_hits: int
    source: str = ""  # for a duplicate: the source left out (the episode is the other's)

    def to_dict(self) -> dict[str, Any]:
        extra = {"source": self.source} if self.status == "duplicate" else {}
        return {
            "id": self.id,
            "guid": self.guid,
            "slug": self.slug,
            "status": self.status,
            "headline": self.headline,
            "audio_url": self.audio_url,
            "audio_bytes": self.audio_bytes,
            "duration_ms": self.duration_ms,
            "engine_calls": self.engine_calls,
            "cache_hits": self.cache_hits,
            **extra,
        }


@dataclass(frozen=True, slots=True)
class _Built:
    """One article's files in the staging folder, named by content."""

    article: Article
    folder: Path
    files: dict[str, str]  # role → file name (audio, epub, transcript, chapters, image, ...)
    sizes: dict[str, int]
    audio: AudioResult | None  # None: the published files are current, nothing was built
    inputs: str


def _now() -> datetime:
    return source_date() or datetime.now(UTC).replace(microsecond=0)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]  # short: it names files


def fingerprint(
    article: Article, voice: str, readalong: bool = False, *, daisy: bool = False,
    braille: bool = False, online: bool = False,
) -> str:  # fmt: skip
    """What an episode's files depend on: the article, the voice preset and its lexicon, the
    editions asked for and the newsvoice version. An unchanged fingerprint means there is
    nothing to rebuild."""
    from ..narration.narrate import NarrationOptions, plan_voices

    (preset,) = plan_voices([article], NarrationOptions(voice=voice, online=online))
    lexicon = preset_lexicon(preset, language=article.speech_language).digest
    inputs: list[object] = [article.to_dict(), repr(preset), lexicon, __version__, readalong]
    if daisy or braille:  # (sites made without them keep their fingerprints)
        inputs += [daisy, braille]
    data = json.dumps(
        inputs,
        sort_keys=True,
        ensure_ascii=True,
        default=_bytes_digest,
    )
    return hashlib.sha256(data.encode("ascii")).hexdigest()


def _bytes_digest(value: object) -> str:
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    raise TypeError(type(value).__name__)


# --- settings ------------------------------------------------------------------------------


def site_config(site: Path, base_url: str | None) -> PodcastConfig:
    """The site's settings; a first publish writes newsvoice.toml with the given base URL."""
    config = load_config(site)
    if config is None:
        if not base_url:
            raise ConfigError(
                f"{site} has no newsvoice.toml and no --base-url was given",
                hint="pass --base-url URL (where the folder will be served), "
                "or run `newsvoice feed init DIR`",
            )
        config = PodcastConfig(base_url=normalise_base_url(base_url))
        write_config(site, config)
        return config
    if base_url:
        config = replace(config, base_url=normalise_base_url(base_url))
    if not config.base_url:
        raise ConfigError(
            f"{site / 'newsvoice.toml'} sets no base_url",
            hint="set base_url there, or pass --base-url URL",
        )
    return config


# --- building (outside the lock) -----------------------------------------------------------


def _stage(site: Path) -> Path:
    staging = site / STATE_DIR / STAGING
    try:
        staging.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - STALE_STAGING_SECONDS
        for old in staging.iterdir():  # left by runs that were killed long ago
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix="run-", dir=staging))
    except OSError as exc:
        raise SiteError(f"cannot write in {site}: {reason(exc)}") from exc


def _build(
    article: Article, number: int, staging: Path, voice: str, inputs: str, options: PublishOptions
) -> _Built:
    from ..render.audio import AudioOptions
    from ..render.bundle import BundleOptions, render_bundle

    folder = staging / f"{number:04d}"
    folder.mkdir()
    base = slugify(article.headline, article.id)
    bundle = render_bundle(
        article,
        folder,
        base,  # each file is renamed by its content below
        BundleOptions(
            audio=AudioOptions(
                voice=voice,
                online=options.online,
                jobs=options.jobs,
                cache_dir=options.cache_dir,
                use_cache=options.use_cache,
            ),
            readalong=options.readalong,
            daisy=options.daisy,
            braille=options.braille,
        ),
    )
    audio = bundle.audio
    files: dict[str, str] = {}
    sizes: dict[str, int] = {}

    def keep(role: str, temp: str, name: str, size: int) -> None:
        Path(temp).replace(folder / name)
        files[role], sizes[role] = name, size

    def write(role: str, suffix: str, data: bytes) -> None:
        name = f"{base}-{_digest(data)}{suffix}"
        write_atomic(folder / name, data, durable=False)
        files[role], sizes[role] = name, len(data)

    keep("audio", audio.path, f"{base}-{audio.sha256[:10]}.mp3", audio.size)
    if bundle.book is not None:
        book = bundle.book
        keep("epub", book.path, f"{base}-{book.sha256[:10]}.epub", book.size)
    write("transcript", ".vtt", webvtt(audio.timing).encode("utf-8"))
    chapters = chapters_json(audio.timing, article.headline, files["audio"])
    write("chapters", ".chapters.json", chapters.encode("utf-8"))
    write("image", ".png", cover_png(cover_text([article], article.headline), ART_SIZE))
    if bundle.readalong is not None:
        book = bundle.readalong
        keep("readalong", book.path, f"{base}-{book.sha256[:10]}.readalong.epub", book.size)
    for role, made, suffix in (
        ("daisy", bundle.daisy, ".daisy.zip"),
        ("braille", bundle.braille, ".brf"),
    ):
        if made is not None:
            path = Path(made.path)
            keep(role, made.path, f"{base}-{sha256_file(path)[:10]}{suffix}", path.stat().st_size)
    return _Built(article, folder, files, sizes, audio, inputs)


# --- installing (under the lock) -----------------------------------------------------------


def _slug_for(article: Article, records: Sequence[Episode], taken: set[str]) -> str:
    for record in records:
        if record.id == article.id:
            return record.slug
    slug = slugify(article.headline, article.id)
    if slug in taken:
        slug = f"{slug[:50].rstrip('-')}-{article.id.replace('-', '')[:8]}"
    return slug


def _episode(
    site: Path, built: _Built, slug: str, previous: Episode | None, now: datetime
) -> Episode:
    article = built.article
    if built.audio is None:  # nothing was built: the record stands, if it still matches
        if previous is None or previous.inputs != built.inputs:
            raise SiteError(f"{site}: episode {article.id} changed during this run; run again")
        return previous
    episode = Episode.of(
        article,
        slug,
        built.audio.timing,
        files=built.files,
        sizes=built.sizes,
        voice=", ".join(built.audio.voices),
        published=article.published or (previous.published if previous else now),
        updated=now,
        inputs=built.inputs,
    )
    if previous is not None and replace(previous, updated=now) == episode:
        return previous
    return episode


def _artwork(site: Path, config: PodcastConfig) -> str:
    """The channel artwork's URL; draws (or copies and checks) it into the site."""
    art = config.artwork
    if art.startswith(("https://", "http://")):
        return art
    if art:
        source = Path(art) if Path(art).is_absolute() else site / art
        data, suffix = _checked_artwork(source)
    else:
        text = CoverText(title=config.title, site=config.author, date=None)
        data, suffix = cover_png(text, ART_SIZE), ".png"
    name = f"artwork{suffix}"
    target = site / name
    if not target.exists() or target.read_bytes() != data:
        write_atomic(target, data)
    _write_if_changed(site / FAVICON_NAME, _icon(data))
    return config.base_url + name


def _icon(artwork: bytes) -> bytes:
    """The site's icon: the artwork at 64 px (browsers ask for one; without it, a 404)."""
    from PIL import Image

    with Image.open(io.BytesIO(artwork)) as image:
        small = image.convert("RGB").resize((FAVICON_PX, FAVICON_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "PNG", optimize=True)
    return out.getvalue()


def _checked_artwork(path: Path) -> tuple[bytes, str]:
    from PIL import Image, UnidentifiedImageError

    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            size, kind, mode = image.size, image.format, image.mode
    except (OSError, UnidentifiedImageError) as exc:
        raise ConfigError(f"artwork {path}: cannot read the image ({exc})") from exc
    if kind not in ("JPEG", "PNG"):
        raise ConfigError(f"artwork {path}: {kind} image; podcast apps want JPEG or PNG")
    width, height = size
    if width != height or not 1400 <= width <= 3000:
        raise ConfigError(
            f"artwork {path}: {width}×{height} px; it must be square, 1400 to 3000 px"
        )
    if mode not in ("RGB", "L", "P"):
        raise ConfigError(f"artwork {path}: colour mode {mode}; use RGB")
    return data, ".jpg" if kind == "JPEG" else ".png"


def _complete(site: Path, episode: Episode) -> bool:
    folder = episodes_dir(site) / episode.slug
    return all((folder / name).is_file() for name in episode.files)


def _install(built: _Built, target: Path) -> None:
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in built.files.values():
            (built.folder / name).replace(target / name)
    except OSError as exc:
        raise SiteError(f"cannot write in {target}: {reason(exc)}") from exc


def _tidy(folder: Path, episode: Episode) -> None:
    """Delete what the record does not name: older versions and temp files of killed runs."""
    keep = {*episode.files, RECORD_NAME, PAGE_NAME, EMBED_NAME, OEMBED_NAME}
    for path in folder.iterdir():
        if path.name not in keep and path.is_file():
            path.unlink(missing_ok=True)


def _pages_stamp(config: PodcastConfig) -> bytes:
    """What every episode page depends on besides its episode: the settings and the version."""
    return f"{__version__}\n{config!r}\n".encode()


def render_site(
    site: Path,
    config: PodcastConfig,
    episodes: Sequence[Episode],
    changed: Collection[str] | None = None,
) -> None:
    """The feed first (one rename), then the pages and assets. ``changed``: the ids of the
    episodes whose pages may be out of date; the others' pages are left alone while the
    settings and the newsvoice version they were rendered with (``.newsvoice/pages``) are
    the same. None: every page."""
    feed_path = site / FEED_NAME
    existing = read_feed(feed_path)
    artwork = _artwork(site, config)
    feed = build_feed(config, episodes, artwork, existing=existing, built=_now())
    old = feed_path.read_bytes() if existing is not None else None
    if old is None or not same_items(old, feed):
        write_atomic(feed_path, feed)
    stamp_path = site / STATE_DIR / PAGES_STAMP
    stamp = _pages_stamp(config)
    try:
        current = stamp_path.read_bytes() == stamp
    except OSError:
        current = False
    names = (PAGE_NAME, EMBED_NAME, OEMBED_NAME) if config.base_url else (PAGE_NAME, EMBED_NAME)
    for episode in episodes:
        folder = episodes_dir(site) / episode.slug
        if (
            current
            and changed is not None
            and episode.id not in changed
            and all((folder / name).is_file() for name in names)  # (a killed run's may not be)
        ):
            continue
        _write_if_changed(folder / PAGE_NAME, episode_page(config, episode))
        _write_if_changed(folder / EMBED_NAME, embed_page(config, episode))
        if config.base_url:
            _write_if_changed(folder / OEMBED_NAME, oembed(config, episode))
    for name in ASSETS:
        _write_if_changed(site / name, asset(name))
    _write_if_changed(site / HEADERS_NAME, headers_file(config))
    _write_if_changed(site / SEARCH_NAME, search_index(episodes))
    pages = index_pages(config, episodes)
    for name, data in pages.items():
        _write_if_changed(site / name, data)
    for stale in site.glob("index-*.html"):  # pages past the last, after removals
        if stale.name not in pages:
            stale.unlink(missing_ok=True)
    if not current:
        stamp_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(stamp_path, stamp)


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)


def publish(
    articles: Sequence[Article], site: Path, options: PublishOptions | None = None
) -> list[Published]:
    """Publish ``articles`` into ``site``; returns what happened to each."""
    options = options or PublishOptions()
    if not articles:
        raise ConfigError("no articles to publish")
    config = site_config(site, options.base_url)
    read_feed(site / FEED_NAME)  # a damaged feed stops the run before any work
    voice = options.voice or config.voice
    staging = _stage(site)
    records = read_records(site)
    current = {r.id: r for r in records}
    articles, duplicates = one_per_article(articles, records)
    try:
        built = []
        for number, article in enumerate(articles):
            inputs = fingerprint(
                article, voice, options.readalong, daisy=options.daisy,
                braille=options.braille, online=options.online,
            )  # fmt: skip
            record = current.get(article.id)
            if record is not None and record.inputs == inputs and _complete(site, record):
                built.append(_Built(article, staging, {}, {}, None, inputs))
                continue
            if options.progress:
                options.progress(article.headline)
            built.append(_build(article, number, staging, voice, inputs, options))
        with folder_lock(site):
            results = _publish_locked(site, config, built)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    by_id = {result.id: result for result in results}
    for duplicate in duplicates:
        kept = by_id.get(duplicate.kept) or _result(config, current[duplicate.kept], "unchanged")
        source = duplicate.article.provenance.source
        results.append(
            replace(kept, status="duplicate", engine_calls=0, cache_hits=0, source=source)
        )
    return results


def _result(
    config: PodcastConfig, episode: Episode, status: Status, audio: AudioResult | None = None
) -> Published:
    return Published(
        id=episode.id,
        guid=episode.guid,
        slug=episode.slug,
        status=status,
        headline=episode.headline,
        audio_url=config.base_url + f"episodes/{episode.slug}/{episode.audio}",
        audio_bytes=episode.audio_bytes,
        duration_ms=episode.duration_ms,
        engine_calls=audio.stats.engine_calls if audio else 0,
        cache_hits=audio.stats.cache_hits if audio else 0,
    )


def _publish_locked(site: Path, config: PodcastConfig, built: Sequence[_Built]) -> list[Published]:
    read_feed(site / FEED_NAME)  # again: another publisher may have been first
    records = read_records(site)
    by_id = {r.id: r for r in records}
    taken = {r.slug for r in records}
    now = _now()
    results: list[Published] = []
    for item in built:
        article = item.article
        previous = by_id.get(article.id)
        slug = _slug_for(article, records, taken)
        taken.add(slug)
        episode = _episode(site, item, slug, previous, now)
        status: Status = (
            "added" if previous is None else "unchanged" if episode is previous else "updated"
        )
        if status != "unchanged":
            _install(item, episodes_dir(site) / slug)
            write_record(site, episode)
        by_id[article.id] = episode
        results.append(_result(config, episode, status, item.audio))
    episodes = sorted(by_id.values(), key=lambda e: (e.published, e.id), reverse=True)
    changed = {r.id for r in results if r.status != "unchanged"}
    render_site(site, config, episodes, changed)
    # every episode of this run, changed or not: a run killed between a record and this
    # clean-up left older files that the next (unchanged) run must still remove
    for item in built:
        episode = by_id[item.article.id]
        folder = episodes_dir(site) / episode.slug
        if folder.is_dir():
            _tidy(folder, episode)
    return results


def remove(site: Path, key: str) -> Episode:
    """Take one episode out (by article id, guid or slug): record, item, then files."""
    config = site_config(site, None)
    with folder_lock(site):
        read_feed(site / FEED_NAME)
        records = read_records(site)
        matches = [r for r in records if key in (r.id, r.guid, r.slug)]
        if not matches:
            raise ConfigError(
                f"no episode {key!r} in {site}",
                hint="give an article id, guid or slug (`newsvoice feed check DIR` lists them)",
            )
        episode = matches[0]
        folder = episodes_dir(site) / episode.slug
        try:
            (folder / RECORD_NAME).unlink()
        except OSError as exc:
            raise SiteError(f"cannot remove {folder}: {reason(exc)}") from exc
        render_site(site, config, [r for r in records if r is not episode], changed=())
        shutil.rmtree(folder, ignore_errors=True)
    return episode
