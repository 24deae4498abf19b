"""Narration benchmark: the engine alone against `newsvoice audio` end to end, in one run.

1. raw: the default engine by itself, as its own command line runs it (`hibari - -o x.wav`,
   a new process, one inference thread, its default) speaking the seed's speech script,
   the same text newsvoice sends it. Like the end-to-end run it starts a process and loads
   the model, so their ratio is newsvoice's whole cost over the engine's. Also shown: the
   pure inference time (every sentence, in this process, after a warm-up call), for which
   start-up, extraction, loudness and encoding are all overhead.
2. end to end: `newsvoice audio samples/csmonitor-kerry-china.html -o …` as a user runs it
   (a new process, an empty cache, default --jobs): extraction, script, synthesis, loudness,
   encoding, tags and chapters.
3. warm: the same command again with the now-warm cache.
4. --jobs 1 against --jobs 2, each with an empty cache: on the seed, and on an edition of
   eight short English corpus articles (one MP3), where the sentences of all articles must
   keep both workers busy.

Prints the times and ratios. Machines here are shared: read the ratios, and run it twice if
a number looks odd. Exits 1 if the end-to-end/raw ratio is above 1.1 or --jobs 2 is under
1.8× --jobs 1 on the edition (on a machine with two cores or more).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsvoice import load
from newsvoice.engines import new_engine
from newsvoice.narration.presets import load_preset, preset_lexicon
from newsvoice.narration.script import build_script

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "samples" / "csmonitor-kerry-china.html"
TARGET_RATIO = 1.1
TARGET_JOBS = 1.8
EDITION = 8


def spoken_sentences() -> list[str]:
    preset = load_preset("heart")
    script = build_script([load(str(SEED))], [preset_lexicon(preset)], preset.pauses)
    return [segment.spoken for segment in script.segments]


def engine_command_seconds(sentences: list[str]) -> float:
    """Seconds for hibari's own command to speak the sentences into a WAV file."""
    hibari = Path(sys.executable).with_name("hibari")
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(  # noqa: S603 - the engine's own command
            [str(hibari), "-", "-o", f"{out}/seed.wav", "--seed", "0"],
            input="\n".join(sentences).encode("utf-8"),
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start


def inference_seconds(sentences: list[str]) -> float:
    """Seconds for hibari to speak every sentence in this process, after a warm-up call."""
    preset = load_preset("heart")
    engine = new_engine(preset.engine)
    spec = preset.spec("en-US")
    engine.synthesize("Warm up.", spec)  # model load and first-call set-up are not speech
    start = time.perf_counter()
    for sentence in sentences:
        engine.synthesize(sentence, spec)
    return time.perf_counter() - start


def edition(folder: Path) -> Path:
    """Eight English corpus pages of 150 to 250 words, as files."""
    from bench.zyte import pages
    from newsvoice import extract_article

    folder.mkdir()
    chosen = []
    for page in pages():
        article = extract_article(page.html, page.url)
        if article.language.startswith("en") and 150 <= article.word_count <= 250:
            chosen.append(page)
    for page in sorted(chosen, key=lambda p: p.id)[:EDITION]:
        (folder / f"{page.id[:12]}.html").write_text(page.html, "utf-8")
    return folder


def cli_seconds(cache: Path, *extra: str, source: Path = SEED) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own command
            [
                sys.executable,
                "-m",
                "newsvoice",
                "audio",
                str(source),
                "-o",
                f"{out}/seed.mp3",
                "--cache",
                str(cache),
                *extra,
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start


def main() -> int:
    sentences = spoken_sentences()
    raw = engine_command_seconds(sentences)
    inference = inference_seconds(sentences)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        end_to_end = cli_seconds(root / "cold")
        warm = cli_seconds(root / "cold")
        one_job = cli_seconds(root / "jobs1", "--jobs", "1")
        two_jobs = cli_seconds(root / "jobs2", "--jobs", "2")
        articles = edition(root / "edition")
        edition_one = cli_seconds(root / "e1", "--jobs", "1", source=articles)
        edition_two = cli_seconds(root / "e2", "--jobs", "2", source=articles)
    ratio = end_to_end / raw
    speedup = edition_one / edition_two
    print(f"Narration benchmark: the seed article, {len(sentences)} sentences, voice hibari/heart")
    print(f"  raw engine: hibari's command on the text      {raw:6.2f} s")
    print(f"  newsvoice audio end to end (cold cache)      {end_to_end:6.2f} s")
    print(
        f"  ratio end to end / raw                        {ratio:6.2f}  (target <= {TARGET_RATIO})"
    )
    print(
        f"  pure inference (in process, after warm-up)   {inference:6.2f} s  "
        f"(end to end is {end_to_end / inference:.2f}x it)"
    )
    print(
        f"  newsvoice audio with a warm cache             {warm:6.2f} s  "
        f"({end_to_end / warm:.1f}x faster than cold; {warm / end_to_end:.2f} of it)"
    )
    print(
        f"  --jobs 1 / --jobs 2 (cold)                    {one_job:6.2f} s / {two_jobs:.2f} s"
        f"  (speed-up {one_job / two_jobs:.2f}x)"
    )
    print(
        f"  {EDITION}-article edition --jobs 1 / --jobs 2      {edition_one:6.2f} s / "
        f"{edition_two:.2f} s  (speed-up {speedup:.2f}x, target >= {TARGET_JOBS})"
    )
    import os

    passed = ratio <= TARGET_RATIO and (speedup >= TARGET_JOBS or (os.cpu_count() or 1) < 2)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
