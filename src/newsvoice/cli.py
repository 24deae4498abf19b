"""The ``newsvoice`` command: parse options, call the library, print, map errors to exit codes.

stdout carries data; stderr carries one ``error: …`` line per failure. Tracebacks appear only
with ``--debug`` (or ``NEWSVOICE_DEBUG=1``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.exceptions import TyperException

from .decode import check_encoding
from .errors import ConfigError, ExitStatus, NewsvoiceError
from .formats import as_plain, json_line
from .load import Options, is_directory, load_many
from .markdown import article_md
from .render.epub import EpubOptions, render_epub
from .rules import load_rules
from .version import __version__

if TYPE_CHECKING:
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

_debug = False


def _version(value: bool) -> None:
    if value:
        print(f"newsvoice {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
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
    global _debug
    _debug = debug


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
    rules: RulesOption = None,
    allow_private: AllowPrivate = False,
    encoding: EncodingOption = None,
) -> None:
    """Extract the article from each SRC and print it (text, --json or --markdown)."""
    if as_json and as_markdown:
        raise ConfigError("--json and --markdown cannot be used together")
    options = _options(rules, allow_private, encoding)
    many = len(sources) > 1 or is_directory(sources[0])
    failures: list[NewsvoiceError] = []
    printed = 0
    for outcome in load_many(sources, options):
        if outcome.error is not None:
            failures.append(outcome.error)
            if many:
                _error(f"{outcome.source}: {outcome.error}")
            continue
        article = outcome.article
        assert article is not None  # noqa: S101 - an Outcome holds one or the other
        if as_json:
            out = json_line(article) + "\n"
        elif as_markdown:
            out = ("\n---\n\n" if printed else "") + article_md(article)
        else:
            out = ("\n" + "=" * 72 + "\n\n" if printed else "") + as_plain(article)
        sys.stdout.write(out)
        printed += 1
    sys.stdout.flush()
    if failures:
        if not many:
            raise failures[0]
        raise typer.Exit(ExitStatus.PARTIAL if printed else failures[0].exit_code)


def _load_all(sources: list[str], options: Options) -> list[Article]:
    """Every article, or an error naming each source that failed (nothing is built)."""
    many = len(sources) > 1 or is_directory(sources[0])
    articles: list[Article] = []
    failures: list[NewsvoiceError] = []
    for outcome in load_many(sources, options):
        if outcome.error is not None:
            failures.append(outcome.error)
            if many:
                _error(f"{outcome.source}: {outcome.error}")
        elif outcome.article is not None:
            articles.append(outcome.article)
    if failures:
        if not many:
            raise failures[0]
        raise typer.Exit(failures[0].exit_code)
    return articles


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
    as_json: Annotated[bool, typer.Option("--json", help="Print what was built as JSON.")] = False,
    rules: RulesOption = None,
    allow_private: AllowPrivate = False,
    encoding: EncodingOption = None,
) -> None:
    """Write an accessible EPUB 3: one SRC makes a book, several make an edition."""
    options = _options(rules, allow_private, encoding)
    articles = _load_all(sources, options)
    result = render_epub(
        articles,
        output,
        EpubOptions(
            title=title, cover=cover, fetch_images=fetch_images, allow_private=allow_private
        ),
    )
    for reason in result.images_left_out:
        print(f"warning: image left out: {reason}", file=sys.stderr)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(
            f"wrote {result.path}: {result.articles} article{'s' * (result.articles != 1)}, "
            f"{result.images} image{'s' * (result.images != 1)}, {result.size:,} bytes",
            file=sys.stderr,
        )


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def main() -> None:
    """Console entry point: run the app and turn every failure into one line and a code."""
    try:
        result = app(standalone_mode=False)
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
        if _debug:
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
        if _debug or os.environ.get("PYTEST_CURRENT_TEST"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc}; rerun with --debug and report it")
        sys.exit(ExitStatus.INTERNAL)
    sys.exit(result if isinstance(result, int) else ExitStatus.OK)
