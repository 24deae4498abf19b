"""Fuzz target: bytes → decode → extract → every output → parsed back and checked.

One input is the bytes of a page, as if read from a file. It is decoded and extracted
(``newsvoice.sources.article_from``); the article is rendered as an EPUB (``render_epub``, which
writes each chapter with ``render.xhtml.chapter`` and runs the ``render.check`` self-check), a
podcast episode without audio (``tests.test_hostile_outputs.build_outputs``: feed XML, episode
and index pages, WebVTT, chapters JSON), and every output is parsed back with lxml and
searched for active content by ``tests.test_hostile_outputs.findings``.

Expected: a ``NewsvoiceError`` while reading the page (the page is refused, with its exit
code), or ``NoContentFound`` from the renderer. A finding: any other exception (a traceback
for the user), a ``RenderError`` (our own output failed our own self-check), active content
in an output, or (libFuzzer's ``-timeout``/``-rss_limit_mb``) a hang or a memory blow-up.

Two drivers run the same ``test_one_input``:

* atheris (libFuzzer, coverage-guided), the default: ``python fuzz/fuzz_pipeline.py
  --seconds 600``; crashers are written to ``fuzz/crashers/``, the growing corpus to
  ``fuzz/corpus/`` (both ignored by git).
* ``--fallback``: a pure-Python random-mutation driver (NOT coverage-guided) for machines
  where atheris does not install; it mutates the same seeds with the same dictionary.

``python fuzz/fuzz_pipeline.py --replay FILE...`` runs saved inputs once each (a crasher, to
see its traceback). Once the bug is fixed, ``--to-case CRASHER NAME DESCRIPTION`` copies the
crasher byte for byte to ``tests/data/hostile/outputs/fuzz-NAME`` with its expectation (what the
fixed pipeline now does) in a ``.expect`` file beside it, so it runs in ``make test``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CRASHERS = HERE / "crashers"
CORPUS = HERE / "corpus"
DICTIONARY = HERE / "pipeline.dict"
SEED_DIRS = (REPO / "tests" / "hostile", REPO / "tests" / "hostile" / "outputs", REPO / "samples")
MAX_LEN = 65_536
sys.path.insert(0, str(REPO))  # tests.test_hostile_outputs holds the output checks

if TYPE_CHECKING:
    from collections.abc import Callable


def say(message: str) -> None:
    """Progress and findings, on stderr (stdout is libFuzzer's)."""
    sys.stderr.write(message + "\n")


class Finding(Exception):
    """Active content in an output, or our own output failing our own self-check."""


def _imports() -> Callable[[bytes], None]:
    """Import the pipeline (under atheris' instrumentation when it is active) and return the
    target. Kept in a function so that ``--fallback`` never needs atheris."""
    from newsvoice.errors import NewsvoiceError, NoContentFound, RenderError
    from newsvoice.sources import Raw, article_from
    from tests.test_hostile_outputs import build_outputs, findings

    workdir = Path(tempfile.mkdtemp(prefix="newsvoice-fuzz-"))
    page = workdir / "page"  # no suffix: sniffed as HTML or read as plain text

    def test_one_input(data: bytes) -> None:
        try:
            article = article_from(Raw(str(page), data))
        except NewsvoiceError:
            return  # refused with a documented exit code: expected
        try:
            outputs = build_outputs(article, workdir)
        except RenderError as exc:
            raise Finding(f"our own output failed its self-check: {exc}") from exc
        except NoContentFound:
            return  # nothing to put in a book: refused, as the CLI would
        problems = findings(article, outputs)
        if problems:
            raise Finding("; ".join(problems[:5]))

    return test_one_input


# --- seeds and dictionary ------------------------------------------------------------------------


def seeds() -> list[bytes]:
    """The hostile corpus and the samples, each cut to MAX_LEN."""
    suffixes = (".html", ".xhtml", ".txt", ".xml", ".gz")
    return [
        path.read_bytes()[:MAX_LEN]
        for folder in SEED_DIRS
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix in suffixes
    ]


def fill_corpus() -> None:
    """Copy the seeds into fuzz/corpus/ (libFuzzer adds what it finds there)."""
    CORPUS.mkdir(parents=True, exist_ok=True)
    for data in seeds():
        name = CORPUS / hashlib.sha1(data).hexdigest()  # noqa: S324 - a name, not security
        if not name.exists():
            name.write_bytes(data)


def dictionary() -> list[bytes]:
    """The tokens of pipeline.dict (libFuzzer's format: one "quoted" token per line)."""
    tokens = []
    for line in DICTIONARY.read_text("utf-8").splitlines():
        line = line.strip()
        if line.startswith('"') and line.endswith('"'):
            tokens.append(line[1:-1].encode().decode("unicode_escape").encode("latin-1"))
    return tokens


# --- the pure-Python fallback driver (not coverage-guided) ---------------------------------------


def mutate(data: bytes, rng: random.Random, tokens: list[bytes], pool: list[bytes]) -> bytes:
    """A few random edits: flips, deletions, duplications, dictionary tokens, splices."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        where = rng.randint(0, len(buf))
        choice = rng.random()
        if choice < 0.35:
            buf[where:where] = rng.choice(tokens)
        elif choice < 0.5 and buf:
            buf[min(where, len(buf) - 1)] = rng.randrange(256)
        elif choice < 0.65:
            del buf[where : where + rng.randint(1, 64)]
        elif choice < 0.8:
            chunk = bytes(buf[where : where + rng.randint(1, 256)])
            buf[where:where] = chunk * rng.randint(1, 50)
        elif choice < 0.9:
            other = rng.choice(pool)
            start = rng.randint(0, len(other))
            buf[where:] = other[start : start + rng.randint(1, 4096)]
        else:
            buf[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(buf[:MAX_LEN])


def run_fallback(target: Callable[[bytes], None], seconds: float, seed: int) -> int:
    say(
        "fuzz: atheris is not in use; running the pure-Python random-mutation driver "
        "(NOT coverage-guided)"
    )
    rng = random.Random(seed)  # noqa: S311 - mutations, not secrets
    pool = seeds()
    tokens = dictionary()
    end = time.monotonic() + seconds
    runs = findings = 0
    while time.monotonic() < end:
        data = mutate(rng.choice(pool), rng, tokens, pool)
        runs += 1
        try:
            target(data)
        except Exception:  # noqa: BLE001 - every other exception is a finding
            findings += 1
            save_crasher(data, traceback.format_exc())
            continue
        if rng.random() < 0.05:
            pool.append(data)  # keep some mutants, so that edits can pile up
        if runs % 500 == 0:
            say(f"fuzz: {runs} runs, {findings} findings")
    say(f"fuzz: done, {runs} runs in {seconds:.0f} s, {findings} findings")
    return 1 if findings else 0


def save_crasher(data: bytes, report: str) -> Path:
    CRASHERS.mkdir(parents=True, exist_ok=True)
    path = CRASHERS / f"crash-{hashlib.sha1(data).hexdigest()}"  # noqa: S324
    path.write_bytes(data)
    path.with_suffix(".txt").write_text(report, "utf-8")
    say(f"fuzz: FINDING saved to {path}\n{report}")
    return path


def to_case(crasher: Path, name: str, description: str) -> Path:
    """Turn a (fixed) crasher into a hostile case: the bytes as they are, the expectation in a
    sidecar file (a header comment could change what the input tests)."""
    from newsvoice.errors import NewsvoiceError
    from newsvoice.sources import Raw, article_from

    target = _imports()
    target(crasher.read_bytes())  # raises while the bug is still there
    try:
        article_from(Raw(str(crasher), crasher.read_bytes()))
        expect = "clean"
    except NewsvoiceError as exc:
        expect = f'refused {int(exc.exit_code)} "{exc.message[:60]}"'
    case = REPO / "tests" / "hostile" / "outputs" / f"fuzz-{name}"
    case.write_bytes(crasher.read_bytes())
    case.with_name(case.name + ".expect").write_text(
        f"description: found by fuzz/fuzz_pipeline.py: {description}\nexpect: {expect}\n",
        "utf-8",
    )
    return case


# --- entry point ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--fallback", action="store_true", help="no atheris: random mutation")
    parser.add_argument("--seed", type=int, default=0, help="fallback driver's random seed")
    parser.add_argument("--replay", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--to-case", nargs=3, metavar=("CRASHER", "NAME", "DESCRIPTION"))
    args, libfuzzer = parser.parse_known_args()
    os.environ.setdefault("TZ", "UTC")

    if args.to_case:
        crasher, name, description = args.to_case
        say(str(to_case(Path(crasher), name, description)))
        return 0

    if args.replay:
        target = _imports()
        failed = 0
        for path in args.replay:
            try:
                target(path.read_bytes())
            except Exception:  # noqa: BLE001 - report every finding
                failed += 1
                say(f"{path}: FINDING\n{traceback.format_exc()}")
            else:
                say(f"{path}: ok")
        return 1 if failed else 0

    atheris: Any = None
    if not args.fallback:
        try:
            atheris = importlib.import_module("atheris")
        except ImportError:
            say("fuzz: atheris is not installed")
    if atheris is None:
        return run_fallback(_imports(), args.seconds, args.seed)

    with atheris.instrument_imports(include=["newsvoice", "bs4"]):
        target = _imports()
    fill_corpus()
    CRASHERS.mkdir(parents=True, exist_ok=True)
    argv = [
        sys.argv[0],
        f"-max_total_time={int(args.seconds)}",
        f"-max_len={MAX_LEN}",
        "-timeout=30",  # one input taking longer is a finding (a hang)
        "-rss_limit_mb=3072",  # so is a memory blow-up
        f"-artifact_prefix={CRASHERS}/",
        f"-dict={DICTIONARY}",
        "-print_final_stats=1",
        *libfuzzer,
        str(CORPUS),
    ]
    atheris.Setup(argv, target)
    atheris.Fuzz()  # libFuzzer ends the process: 0 when the time is up, non-zero on a finding
    return 0


if __name__ == "__main__":
    sys.exit(main())
