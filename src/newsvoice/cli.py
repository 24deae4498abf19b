"""The ``newsvoice`` command: parse options, call the library, print, map errors to exit codes.

stdout carries data; stderr carries one ``error: …`` line per failure. Tracebacks appear only
with ``--debug`` (or ``NEWSVOICE_DEBUG=1``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path  # noqa: TC003 - Typer reads the annotations at run time
from typing import Annotated

import typer
from typer.exceptions import TyperException

from . import __version__
from .decode import check_encoding
from .errors import ConfigError, ExitStatus, NewsvoiceError
from .formats import as_plain, json_line
from .load import Options, is_directory, load_many
from .markdown import article_md
from .rules import load_rules

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


@app.command()
def extract(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="SRC...",
            help="HTML or text file, directory (its *.html, *.htm, *.txt), - for stdin, or URL.",
            show_default=False,
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the Article as JSON (NDJSON for several).")
    ] = False,
    as_markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown.")] = False,
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules",
            metavar="FILE",
            help="Extra cleaning rules (TOML, same shape as the shipped rules). Repeatable.",
        ),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Allow URLs on loopback, private, link-local and multicast addresses.",
        ),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="Decode input with this encoding instead of detecting it.",
        ),
    ] = None,
) -> None:
    """Extract the article from each SRC and print it (text, --json or --markdown)."""
    if as_json and as_markdown:
        raise ConfigError("--json and --markdown cannot be used together")
    if encoding is not None:
        check_encoding(encoding)
    options = Options(allow_private=allow_private, encoding=encoding, rules=load_rules(rules or ()))
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
