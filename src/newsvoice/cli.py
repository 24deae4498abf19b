"""The ``newsvoice`` command: parse options, call the library, print, map errors to exit codes.

stdout carries data; stderr carries one ``error: …`` line per failure. Tracebacks appear only
with ``--debug`` (or ``NEWSVOICE_DEBUG=1``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from typer.exceptions import TyperException

from .errors import ConfigError, ExitStatus, NewsvoiceError, one_line, reason
from .extract.decode import check_encoding
from .extract.rules import load_rules
from .narration.script import CaptionPolicy
from .narration.timing import clock
from .render.formats import as_plain, json_line
from .render.kinds import Cover, Format, Transcript
from .render.markdown import article_md
from .sources import Loading, Options, Policy, Stopped
from .version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from .model import Article

app = typer.Typer(
    name="newsvoice",
    help="Turn news articles into accessible editions: clean text, EPUB, narration, podcast.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"newsvoice {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="NEWSVOICE_DEBUG", help="Show tracebacks of failures."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    if isinstance(ctx.obj, _Run):
        ctx.obj.debug = debug  # main() handles every failure: it decides on tracebacks
    _say_warnings()


def _say_warnings() -> None:
    """newsvoice's logged warnings (a sentence cache that cannot be written) as one
    ``warning: ...`` line each on stderr; other libraries' logs stay quiet."""
    logger = logging.getLogger("newsvoice")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False


Sources = Annotated[
    list[str],
    typer.Argument(
        metavar="SRC...",
        help="HTML or text file, directory (its *.html, *.htm, *.txt), - for stdin, or URL.",
        show_default=False,
    ),
]
RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        metavar="FILE",
        help="Extra cleaning rules (TOML, same shape as the shipped rules). Repeatable.",
    ),
]
AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Allow URLs on loopback, private, link-local and multicast addresses.",
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="NAME",
        help="Decode input with this encoding instead of detecting it.",
    ),
]


OnError = Annotated[
    Policy | None,
    typer.Option(
        "--on-error",
        help="When some of several sources fail: stop (make nothing), partial (make the rest, "
        "exit 7) or skip (make the rest, exit 0).",
        show_default=False,
    ),
]
CaptionsOption = Annotated[
    CaptionPolicy,
    typer.Option("--captions", help="Read picture captions aloud."),
]


def _loading(
    sources: list[str], options: Options, policy: Policy | None, default: Policy
) -> Loading:
    """The one loading loop, each failure of several sources said on stderr as it happens."""
    return Loading(
        sources, options, policy or default, report=lambda src, exc: _error(f"{src}: {exc}")
    )


def _articles(loading: Loading) -> list[Article]:
    try:
        return loading.articles()
    except Stopped as exc:  # each failure was said already
        raise typer.Exit(exc.exit_code) from None


def _finish(loading: Loading) -> None:
    status = loading.status()
    if status != ExitStatus.OK:
        raise typer.Exit(status)


CacheOption = Annotated[
    str | None,
    typer.Option(
        "--cache", metavar="DIR", help="Sentence cache: a folder or an fsspec URL (s3://...)."
    ),
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Do not use the cache.")]
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", metavar="N", help="Parallel synthesis workers (default: cores)."),
]


OnlineOption = Annotated[
    bool,
    typer.Option(
        "--online",
        envvar="NEWSVOICE_ONLINE",
        help="Let the automatic voice be an online one (gTTS) where no offline neural voice "
        "speaks the language, before eSpeak NG.",
    ),
]
DaisyFlag = Annotated[
    bool, typer.Option("--daisy", help="Also a DAISY 2.02 talking book per article (.daisy.zip).")
]
BrailleFlag = Annotated[
    bool, typer.Option("--braille", help="Also a braille file per article (.brf).")
]


def _check_jobs(jobs: int | None) -> None:
    if jobs is not None and jobs < 1:
        raise ConfigError("--jobs must be 1 or more")


def _options(rules: list[Path] | None, allow_private: bool, encoding: str | None) -> Options:
    if encoding is not None:
        check_encoding(encoding)
    return Options(allow_private=allow_private, encoding=encoding, rules=load_rules(rules or ()))


@app.command()
def extract(
    sources: Sources,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the Article as JSON (NDJSON for several).")
    ] = False,
    as_markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown.")] = False,
    on_error: OnError = None,
    rules: RulesOption = None,
    allow_private: AllowPrivate = False,
    encoding: EncodingOption = None,
) -> None:
    """Extract the article from each SRC and print it (text, --json or --markdown).

    With several sources, a failed one is reported and the others printed (exit 7)."""
    if as_json and as_markdown:
        raise ConfigError("--json and --markdown cannot be used together")
    loading = _loading(sources, _options(rules, allow_private, encoding), on_error, Policy.PARTIAL)
    for printed, article in enumerate(loading):
        if as_json:
            out = json_line(article) + "\n"
        elif as_markdown:
            out = ("\n---\n\n" if printed else "") + article_md(article)
        else:
            out = ("\n" + "=" * 72 + "\n\n" if printed else "") + as_plain(article)
        sys.stdout.write(out)
    sys.stdout.flush()
    _finish(loading)


@app.command()
def epub(
    sources: Sources,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar="OUT.epub", help="The EPUB file to write."),
    ],
    title: Annotated[
        str | None,
        typer.Option("--title", help="Title of an edition (several articles)."),
    ] = None,
    cover: Annotated[
        str,
        typer.Option(
            "--cover",
            metavar="auto|none|FILE",
            help="Draw a cover (auto), leave it out (none), or use this image file.",
        ),
    ] = "auto",
    fetch_images: Annotated[
        bool,
        typer.Option(
            "--fetch-images",
            help="Download remote images (same safety rules and size caps as articles).",
        ),
    ] = False,
    narrate: Annotated[
        bool,
        typer.Option(
            "--narrate",
            help="A read-along book: the narration inside, each sentence highlighted as read.",
        ),
    ] = False,
    voice: Annotated[
        str,
        typer.Option("--voice", metavar="PRESET", help="With --narrate: the voice preset."),
    ] = "auto",
    online: OnlineOption = False,
    captions: Annotated[
        CaptionPolicy,
        typer.Option("--captions", help="With --narrate: read picture captions aloud."),
    ] = CaptionPolicy.SKIP,
    jobs: JobsOption = None,
    cache_dir: CacheOption = None,
    no_cache: NoCacheOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was built as JSON.")] = False,
    on_error: OnError = None,
    rules: RulesOption = None,
    allow_private: AllowPrivate = False,
    encoding: EncodingOption = None,
) -> None:
    """Write an accessible EPUB 3: one SRC makes a book, several make an edition; with
    --narrate, a read-along book (EPUB 3 Media Overlays)."""
    from .render.epub import EpubOptions, render_epub

    _check_jobs(jobs)
    loading = _loading(sources, _options(rules, allow_private, encoding), on_error, Policy.STOP)
    articles = _articles(loading)
    book_options = EpubOptions(
        title=title,
        cover=Cover(cover) if cover in tuple(Cover) else Path(cover),
        fetch_images=fetch_images,
        allow_private=allow_private,
    )
    extra: dict[str, object] = {}
    if narrate:
        from .render.audio import AudioOptions
        from .render.bundle import render_readalong

        readalong = render_readalong(
            articles,
            output,
            book_options,
            AudioOptions(
                voice=voice,
                online=online,
                jobs=jobs,
                captions=captions,
                cache_dir=cache_dir,
                use_cache=not no_cache,
            ),
        )
        result = readalong.book
        extra = {
            "engine_calls": readalong.stats.engine_calls,
            "cache_hits": readalong.stats.cache_hits,
        }
    else:
        result = render_epub(articles, output, book_options)
    for left_out in result.images_left_out:
        print(f"warning: image left out: {left_out}", file=sys.stderr)
    if as_json:
        print(json.dumps(result.to_dict() | extra, ensure_ascii=False))
    else:
        narrated = ""
        if narrate:
            narrated = (
                f", narrated ({clock(result.overlays['duration_ms'], 'player')} read along, "
                f"{extra['engine_calls']} sentences synthesised, "
                f"{extra['cache_hits']} from the cache)"
            )
        print(
            f"wrote {result.path}: {result.articles} article{'s' * (result.articles != 1)}, "
            f"{result.images} image{'s' * (result.images != 1)}, {result.size:,} bytes{narrated}",
            file=sys.stderr,
        )
    _finish(loading)


@app.command()
def audio(
    sources: Sources,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar="OUT.mp3", help="The audio file to write."),
    ],
    voice: Annotated[
        str,
        typer.Option(
            "--voice",
            metavar="PRESET",
            help="A preset from `newsvoice voices`, a preset file, or auto (by language).",
        ),
    ] = "auto",
    online: OnlineOption = False,
    engine: Annotated[
        str | None,
        typer.Option("--engine", metavar="NAME", help="Use this engine's default voice."),
    ] = None,
    speed: Annotated[
        float | None,
        typer.Option("--speed", metavar="X", help="Speaking pace, 0.5 to 2.0 (1.0: the voice's)."),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="MP3 (ID3 chapters) or M4B (AAC).")
    ] = Format.MP3,
    transcript: Annotated[
        Transcript | None,
        typer.Option("--transcript", help="Also write OUT.vtt (WebVTT).", show_default=False),
    ] = None,
    chapters_json_file: Annotated[
        bool,
        typer.Option("--chapters-json", help="Also write OUT.chapters.json (Podcasting 2.0)."),
    ] = False,
    captions: CaptionsOption = CaptionPolicy.SKIP,
    lexicon: Annotated[
        list[Path] | None,
        typer.Option("--lexicon", metavar="FILE", help="Extra pronunciations (PLS or TOML)."),
    ] = None,
    jobs: JobsOption = None,
    cache_dir: CacheOption = None,
    no_cache: NoCacheOption = False,
    bitrate: Annotated[
        str, typer.Option("--bitrate", metavar="RATE", help="Audio bitrate, e.g. 64k.")
    ] = "64k",
    sample_rate: Annotated[
        int,
        typer.Option(
            "--sample-rate", metavar="HZ", help="44100 (default; what Apple asks for) or 24000."
        ),
    ] = 44_100,
    title: Annotated[
        str | None, typer.Option("--title", help="Title of an edition (several articles).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print durations, chapters, loudness, files as JSON.")
    ] = False,
    on_error: OnError = None,
    rules: RulesOption = None,
    allow_private: AllowPrivate = False,
    encoding: EncodingOption = None,
) -> None:
    """Narrate articles into an MP3 (or M4B) with chapters: Headline, Standfirst, Body."""
    from .render.audio import AudioOptions, render_audio

    _check_jobs(jobs)
    if not re.fullmatch(r"\d{2,3}k", bitrate):
        raise ConfigError(f"bad --bitrate {bitrate!r}", hint="use a value such as 48k or 64k")
    if sample_rate not in (44_100, 24_000):
        raise ConfigError(f"unsupported --sample-rate {sample_rate}", hint="use 44100 or 24000")
    loading = _loading(sources, _options(rules, allow_private, encoding), on_error, Policy.STOP)
    articles = _articles(loading)
    with _progress("Narrating") as (start, advance):
        result = render_audio(
            articles,
            output,
            AudioOptions(
                voice=voice,
                engine=engine,
                speed=speed,
                online=online,
                format=fmt,
                transcript=transcript is Transcript.VTT,
                chapters_json=chapters_json_file,
                jobs=jobs,
                captions=captions,
                lexicons=tuple(lexicon or ()),
                cache_dir=cache_dir,
                use_cache=not no_cache,
                bitrate=bitrate,
                sample_rate=sample_rate,
                title=title,
                progress=advance,
                start_progress=start,
            ),
        )
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(
            f"wrote {result.path}: {clock(result.duration_ms, 'player')}, "
            f"{len(result.timing.chapters)} "
            f"chapters, {result.loudness_lufs:.1f} LUFS, {result.stats.engine_calls} sentences "
            f"synthesised, {result.stats.cache_hits} from the cache",
            file=sys.stderr,
        )
    _finish(loading)


VoiceOption = Annotated[
    str,
    typer.Option(
        "--voice",
        metavar="PRESET",
        help="A preset from `newsvoice voices`, a preset file, or auto (by language).",
    ),
]


@app.command()
def daisy(
    sources: Sources,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", metavar="OUT", help="The book: a folder, or OUT.zip for a zip of it."
        ),
    ],
    voice: VoiceOption = "auto",
    online: OnlineOption = False,
    title: Annotated[
        str | None, typer.Option("--title", help="Title of an edition (several articles).")
    ] = None,
    captions: CaptionsOption = CaptionPolicy.SKIP,
    lexicon: Annotated[
        list[Path] | None,
        typer.Option("--lexicon", metavar="FILE", help="Extra pronunciations (PLS or TOML)."),
    ] = None,
    jobs: JobsOption = None,
    cache_dir: CacheOption = None,
    no_cache: NoCacheOption = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the book's navigation, times and files as JSON.")
    ] = False,
    on_error: OnError = None,
    rules: RulesOption = None,
    allow_private: AllowPrivate = False,
    encoding: EncodingOption = None,
) -> None:
    """A DAISY 2.02 talking book (full text and audio) for talking-book players."""
    from .render.audio import AudioOptions
    from .render.daisy import DaisyOptions, render_daisy

    _check_jobs(jobs)
    loading = _loading(sources, _options(rules, allow_private, encoding), on_error, Policy.STOP)
    articles = _articles(loading)
    with _progress("Narrating") as (start, advance):
        audio_options = AudioOptions(
            voice=voice,
            online=online,
            jobs=jobs,
            captions=captions,
            lexicons=tuple(lexicon or ()),
            cache_dir=cache_dir,
            use_cache=not no_cache,
            progress=advance,
            start_progress=start,
        )
        result = render_daisy(articles, output, DaisyOptions(audio_options, title=title))
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(
            f"wrote {result.path}: DAISY 2.02, {result.articles} "
            f"article{'s' * (result.articles != 1)}, {clock(result.duration_ms, 'player')}, "
            f"{len(result.navigation)} navigation points, {result.stats.engine_calls} sentences "
            f"synthesised, {result.stats.cache_hits} from the cache",
            file=sys.stderr,
        )
    _finish(loading)


@app.command()
def braille(
    sources: Sources,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar="OUT.brf", help="The braille file to write."),
    ],
    table: Annotated[
        str | None,
        typer.Option(
            "--table",
            metavar="TABLE",
            help="A liblouis table (default: by language; en-ueb-g2.ctb for English).",
        ),
    ] = None,
    cells: Annotated[int, typer.Option("--cells", metavar="N", help="Cells per line.")] = 40,
    lines: Annotated[int, typer.Option("--lines", metavar="N", help="Lines per page.")] = 25,
    pef: Annotated[
        bool, typer.Option("--pef", help="Write PEF (the XML braille format) instead of BRF.")
    ] = False,
    title: Annotated[
        str | None, typer.Option("--title", help="Title of an edition (several articles).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print pages, table and back-translation as JSON.")
    ] = False,
    on_error: OnError = None,
    rules: RulesOption = None,
    allow_private: AllowPrivate = False,
    encoding: EncodingOption = None,
) -> None:
    """Braille with liblouis: BRF (ASCII braille) pages, or PEF; UEB grade 2 for English."""
    from .render.braille import BrailleOptions, render_braille

    loading = _loading(sources, _options(rules, allow_private, encoding), on_error, Policy.STOP)
    articles = _articles(loading)
    result = render_braille(
        articles,
        output,
        BrailleOptions(table=table, cells=cells, lines=lines, pef=pef, title=title),
    )
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(
            f"wrote {result.path}: {result.format.upper()}, {result.table}, {len(result.pages)} "
            f"pages of {result.cells}×{result.lines}, back-translation agrees on "
            f"{result.agreement:.1%} of words",
            file=sys.stderr,
        )
    _finish(loading)


SiteOption = Annotated[
    str,
    typer.Option(
        "--site",
        metavar="DIR|URL",
        help="The site folder (feed, pages, episodes), or an object-store URL (s3://bucket/prefix/).",
    ),
]


@contextlib.contextmanager
def _site(target: str, *, media: bool = False) -> Iterator[Path]:
    """The site as a folder for the block: itself, or a mirror of the object store at the URL
    (see ``podcast.remote``), whose changes are uploaded when the block succeeds."""
    from .storage import destination, is_store_url

    if is_store_url(target):
        from .podcast.remote import remote_site

        with remote_site(target, media=media) as mirror:
            yield mirror
    else:
        yield destination(target).folder or Path(target)  # a path, or a file:// URL


@app.command()
def publish(
    sources: Sources,
    site: SiteOption,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Where DIR is served; needed on the first publish (kept in newsvoice.toml).",
        ),
    ] = None,
    voice: Annotated[
        str | None,
        typer.Option(
            "--voice", metavar="PRESET", help="Voice preset (default: the site's, else auto)."
        ),
    ] = None,
    online: OnlineOption = False,
    jobs: JobsOption = None,
    cache_dir: CacheOption = None,
    no_cache: NoCacheOption = False,
    readalong: Annotated[
        bool,
        typer.Option(
            "--readalong", help="Also a read-along EPUB per episode (text and narration together)."
        ),
    ] = False,
    daisy: DaisyFlag = False,
    braille: BrailleFlag = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON line per article (NDJSON).")
    ] = False,
    on_error: OnError = None,
    rules: RulesOption = None,
    allow_private: AllowPrivate = False,
    encoding: EncodingOption = None,
) -> None:
    """Publish articles as podcast episodes: MP3, EPUB, transcript and chapters per article,
    the feed (feed.xml) and the pages, in DIR."""
    from .podcast.publish import PublishOptions
    from .podcast.publish import publish as publish_site

    _check_jobs(jobs)
    loading = _loading(sources, _options(rules, allow_private, encoding), on_error, Policy.PARTIAL)
    articles = _articles(loading)
    if not articles:
        _finish(loading)
    with _site(site) as folder:
        results = publish_site(
            articles,
            folder,
            PublishOptions(
                base_url=base_url,
                voice=voice,
                online=online,
                jobs=jobs,
                cache_dir=cache_dir,
                use_cache=not no_cache,
                readalong=readalong,
                daisy=daisy,
                braille=braille,
                progress=None if as_json else _note("narrating"),
            ),
        )
    for result in results:
        if as_json:
            print(json.dumps(result.to_dict(), ensure_ascii=False))
        elif result.status == "duplicate":
            print(
                f"duplicate: {result.source} is the same article as episodes/{result.slug}/ "
                "(published once)",
                file=sys.stderr,
            )
        else:
            print(
                f"{result.status}: episodes/{result.slug}/ "
                f"({clock(result.duration_ms, 'player')}, "
                f"{result.engine_calls} sentences synthesised, {result.cache_hits} from the cache)",
                file=sys.stderr,
            )
    if not as_json:
        print(
            f"feed: {site.rstrip('/') if '://' in site else Path(site)}/feed.xml", file=sys.stderr
        )
    _finish(loading)


@app.command()
def batch(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="SRC...",
            help="Article files, directories, files listing URLs, RSS/Atom feeds, or URLs.",
            show_default=False,
        ),
    ],
    site: Annotated[
        str | None,
        typer.Option("--site", metavar="DIR", help="Publish every article into this site."),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Or write EPUB, MP3, VTT, chapters per article (a folder or an fsspec URL).",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", metavar="URL", help="With --site: as for publish."),
    ] = None,
    voice: Annotated[
        str | None, typer.Option("--voice", metavar="PRESET", help="The voice preset.")
    ] = None,
    online: OnlineOption = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", metavar="N", help="Articles in parallel (default: cores)."),
    ] = None,
    cache_dir: Annotated[
        str | None,
        typer.Option(
            "--cache", metavar="DIR", help="Sentence cache: a folder or an fsspec URL (s3://...)."
        ),
    ] = None,
    no_cache: NoCacheOption = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Skip what the manifest says is done, without reading it again."
        ),
    ] = False,
    readalong: Annotated[
        bool, typer.Option("--readalong", help="Read-along EPUBs too (with --site or --out).")
    ] = False,
    daisy: DaisyFlag = False,
    braille: BrailleFlag = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            envvar="NEWSVOICE_SCHEDULER",
            help="Run on a Dask cluster, e.g. tcp://host:8786.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON line per article (NDJSON).")
    ] = False,
    rules: RulesOption = None,
    allow_private: AllowPrivate = False,
    encoding: EncodingOption = None,
) -> None:
    """Many articles through extract, EPUB and narration (and publish), resumable, in
    parallel or on a Dask cluster; one bad article does not stop the others."""
    from .batch import STAGES, BatchOptions, ItemResult, exit_status, run_batch
    from .narration.synth import default_jobs

    _check_jobs(jobs)
    if encoding is not None:
        check_encoding(encoding)
    load_rules(rules or ())  # a bad rules file stops us before any work
    from .storage import is_store_url

    if site is not None and is_store_url(site):  # (a Path would make "s3:/bucket" a folder)
        raise ConfigError(
            f"--site {site}: batch publishes into a folder",
            hint="`newsvoice publish SRC... --site URL` publishes into an object store",
        )
    options = BatchOptions(
        out=out,
        site=Path(site) if site is not None else None,
        base_url=base_url,
        voice=voice,
        online=online,
        cache_dir=cache_dir,
        use_cache=not no_cache,
        jobs=jobs or default_jobs(),
        resume=resume,
        scheduler=scheduler,
        readalong=readalong,
        daisy=daisy,
        braille=braille,
        allow_private=allow_private,
        encoding=encoding,
        rules=tuple(rules or ()),
    )
    counts = dict.fromkeys(STAGES, 0) | {"failed": 0, "skipped": 0}

    def summary() -> str:
        shown = [f"{n} {k}" for k, n in counts.items() if n or k in ("failed", "skipped")]
        return " · ".join(shown)

    with _batch_progress() as update:

        def report(result: ItemResult) -> None:
            for stage in result.stages:
                counts[stage] += 1
            if result.status in ("failed", "skipped"):
                counts[result.status] += 1
            if as_json:
                print(json.dumps(result.to_dict(), ensure_ascii=False), flush=True)
            elif result.status == "failed":
                _error(f"{result.source}: {result.error}")
            update(summary(), result, as_json)

        results = run_batch(sources, options, report)
    if not as_json:
        print(f"batch: {len(results)} articles: {summary()}", file=sys.stderr)
    raise typer.Exit(exit_status(results))


@contextlib.contextmanager
def _batch_progress() -> Iterator[Callable[[str, object, bool], None]]:
    """A live line of per-stage counts on a terminal; one line per article otherwise (none
    with --json, whose lines say it all)."""
    if not sys.stderr.isatty():

        def plain(counts: str, result: object, quiet: bool) -> None:
            status = getattr(result, "status", "")
            if status != "failed" and not quiet:
                print(f"{status}: {getattr(result, 'source', '')}", file=sys.stderr)

        yield plain
        return
    from rich.progress import Progress, SpinnerColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        "[bold]batch",
        "{task.description}",
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)
        yield lambda counts, result, quiet: bar.update(task, description=counts)


def _note(verb: str) -> Callable[[str], None]:
    def say(headline: str) -> None:
        print(f"{verb}: {headline}", file=sys.stderr)

    return say


feed_app = typer.Typer(
    help="Set up, check, prune and preview a published podcast site.",
    no_args_is_help=True,
)
app.add_typer(feed_app, name="feed")
SiteArgument = Annotated[
    str, typer.Argument(metavar="DIR|URL", help="The site folder, or its object-store URL.")
]


@feed_app.command("init")
def feed_init(
    site: SiteArgument,
    title: Annotated[str | None, typer.Option("--title", help="The podcast's name.")] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="What the podcast is.")
    ] = None,
    author: Annotated[str | None, typer.Option("--author", help="itunes:author.")] = None,
    owner_name: Annotated[str | None, typer.Option("--owner-name", help="itunes:owner.")] = None,
    owner_email: Annotated[
        str | None, typer.Option("--owner-email", help="itunes:owner email; podcast:locked owner.")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="BCP 47 tag, e.g. en-GB.")
    ] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", help="Apple category, e.g. 'News > Politics'."),
    ] = None,
    explicit: Annotated[
        bool, typer.Option("--explicit", help="Mark the podcast explicit.")
    ] = False,
    artwork: Annotated[
        str | None,
        typer.Option(
            "--artwork", metavar="FILE|URL", help="Square 1400-3000 px JPEG/PNG (default: drawn)."
        ),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", metavar="URL", help="Where DIR is served.")
    ] = None,
    unlocked: Annotated[
        bool, typer.Option("--unlocked", help="podcast:locked no (allow imports elsewhere).")
    ] = False,
    voice: Annotated[
        str | None, typer.Option("--voice", metavar="PRESET", help="The episodes' voice.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write DIR/newsvoice.toml (the podcast's settings, with comments)."""
    from dataclasses import replace

    from .podcast.config import PodcastConfig, normalise_base_url, write_config

    values: dict[str, str | None] = {
        "title": title,
        "description": description,
        "author": author,
        "owner_name": owner_name,
        "owner_email": owner_email,
        "language": language,
        "category": category,
        "artwork": artwork,
        "voice": voice,
        "base_url": normalise_base_url(base_url) if base_url else None,
    }
    config = replace(
        PodcastConfig(explicit=explicit, locked=not unlocked),
        **{k: v for k, v in values.items() if v is not None},  # type: ignore[arg-type]
    )
    with _site(site) as folder:
        path = write_config(folder, config, force=force)
    print(
        f"wrote {site.rstrip('/')}/{path.name}" if "://" in site else f"wrote {path}",
        file=sys.stderr,
    )


@feed_app.command("check")
def feed_check(
    site: SiteArgument,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON.")] = False,
) -> None:
    """Check the published site: feed fields, enclosure sizes, chapters, transcripts, pages."""
    from .podcast.check import check_site

    with _site(site, media=True) as folder:
        findings = check_site(folder)
    if as_json:
        print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    else:
        for finding in findings:
            print(finding)
        errors = sum(f.level == "error" for f in findings)
        print(
            f"{site}: {errors} error{'s' * (errors != 1)}, "
            f"{len(findings) - errors} warning{'s' * (len(findings) - errors != 1)}",
            file=sys.stderr,
        )
    if any(f.level == "error" for f in findings):
        raise typer.Exit(ExitStatus.SITE)


@feed_app.command("remove")
def feed_remove(
    site: SiteArgument,
    key: Annotated[str, typer.Argument(metavar="ID", help="Article id, guid or slug.")],
) -> None:
    """Take an episode out of the site: its item, its page and its files."""
    from .podcast.publish import remove

    with _site(site) as folder:
        episode = remove(folder, key)
    print(f"removed episodes/{episode.slug}/ ({episode.headline})", file=sys.stderr)


@feed_app.command("serve")
def feed_serve(
    site: Annotated[Path, typer.Argument(metavar="DIR", help="The site folder.")],
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    bind: Annotated[
        str, typer.Option("--bind", metavar="ADDRESS", help="Address to listen on.")
    ] = "127.0.0.1",
) -> None:
    """Serve DIR for a local preview (byte ranges, so the player can seek)."""
    from .podcast.serve import make_server

    if not (site / "index.html").is_file():
        raise ConfigError(f"{site} has no index.html", hint="publish something into it first")
    try:
        server = make_server(site, bind, port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {bind}:{port}: {reason(exc)}") from exc
    host = f"[{bind}]" if ":" in bind else bind
    print(f"serving {site} at http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    with server:
        server.serve_forever()


@contextlib.contextmanager
def _progress(label: str) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """A rich progress bar on stderr when it is a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        yield (lambda total: None), (lambda step: None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        f"[bold]{label}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield (lambda total: bar.update(task, total=total)), (lambda step: bar.advance(task, step))


@app.command()
def voices(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            metavar="TAG",
            help="Say which voice would read an article in this language here, and why.",
        ),
    ] = None,
    online: OnlineOption = False,
) -> None:
    """List the voice presets and whether each can speak on this machine (and why not)."""
    from .engines import broken_plugins
    from .narration.presets import preset_names, usability, voice_plan

    broken_plugins()  # each one a warning line naming its package
    if language is not None:
        from .extract.metadata import language_tag

        tag = language_tag(language)
        if tag is None:
            raise ConfigError(
                f"--language {language!r} is not a language tag", hint="e.g. fr, de-AT, zh-Hans"
            )
        plan = voice_plan(tag, online)
        if as_json:
            listed = [
                {"name": c.preset.name, "engine": c.preset.engine, "usable": c.usable,
                 "chosen": c.chosen, "reason": c.reason}
                for c in plan
            ]  # fmt: skip
            print(json.dumps({"language": tag, "online": online, "candidates": listed}))
            return
        chosen = next((c for c in plan if c.chosen), None)
        said = f"{chosen.preset.name} ({chosen.preset.engine})" if chosen else "no voice here"
        print(f"{tag}: {said}")
        for c in plan:
            mark = "chosen" if c.chosen else ("usable" if c.usable else "no")
            print(f"  {c.preset.name:<8} {c.preset.engine:<7} {mark:<7} {c.reason}")
        return

    rows = [usability(name) for name in preset_names()]
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "name": u.preset.name,
                        "engine": u.preset.engine,
                        "voice": u.preset.voice,
                        "language": u.preset.language,
                        "usable": u.usable,
                        "note": u.reason,
                        "description": u.preset.description,
                    }
                    for u in rows
                ],
                ensure_ascii=False,
            )
        )
        return
    for u in rows:
        state = "yes" if u.usable else "no"
        note = f" ({u.reason})" if u.reason else ""
        print(
            f"{u.preset.name:<8} {u.preset.engine:<7} {u.preset.language:<6} usable: {state}{note}"
        )
        print(f"         {u.preset.description}")


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


@dataclass(slots=True)
class _Run:
    """What the global options say about this run, for main() (passed as the click obj)."""

    debug: bool = False


def main() -> None:
    """Console entry point: run the app and turn every failure into one line and a code."""
    run = _Run(debug=os.environ.get("NEWSVOICE_DEBUG", "") not in ("", "0"))
    try:
        result = app(standalone_mode=False, obj=run)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except TyperException as exc:  # usage errors: unknown option, missing argument, ...
        message = exc.format_message().strip()
        if message:  # empty when the help was shown instead
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            _error(message.splitlines()[0] + hint)
        sys.exit(exc.exit_code)
    except NewsvoiceError as exc:
        if run.debug:
            raise
        _error(str(exc))
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        _error("interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); say nothing
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitStatus.OK)
    except Exception as exc:
        if run.debug or os.environ.get("PYTEST_CURRENT_TEST"):
            raise
        _error(f"internal error: {one_line(exc)}; rerun with --debug and report it")
        sys.exit(ExitStatus.INTERNAL)
    sys.exit(result if isinstance(result, int) else ExitStatus.OK)
