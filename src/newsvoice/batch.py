"""``newsvoice batch``: many articles through extract → EPUB → audio (→ publish), resumable.

Sources are expanded first: directories (their article files), files that list URLs, and RSS
or Atom feeds (their items' links). Each article is one task, run by a local process pool
(``--jobs``) or by a Dask cluster (``--scheduler``); the main process alone writes the
manifest (``DIR/.newsvoice/manifest.json``, atomically after every article), so a run killed
at any moment loses at most the articles in flight. A rerun skips articles whose inputs are
unchanged and whose outputs are still there with the recorded hashes; ``--resume`` trusts
the manifest without reading the sources again (no refetching). One bad article is reported
and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import ConfigError, ExitStatus, NewsvoiceError, SiteError, one_line, reason
from .extract.rules import load_rules
from .io import sha256_file, slugify
from .sources import Options, Raw, article_from, expand, read
from .storage import Destination, destination, is_store_url
from .version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from .model import Article

Status = Literal["done", "failed", "skipped"]
STAGES = ("extract", "epub", "audio", "daisy", "braille", "publish")
MANIFEST = Path(".newsvoice") / "manifest.json"
MANIFEST_VERSION = 1
SCHEDULER_ENV = "NEWSVOICE_SCHEDULER"


@dataclass(frozen=True, slots=True)
class BatchOptions:
    out: Path | str | None = None  # each article's files into out/<slug>-<id>/ (or an fsspec URL)
    site: Path | None = None  # or publish each article into this podcast site
    base_url: str | None = None
    voice: str | None = None  # None: "auto" (or the site's voice)
    online: bool = False  # "auto" may choose an online voice (gTTS)
    cache_dir: Path | str | None = None  # a folder, or an fsspec URL: a cache shared by workers
    use_cache: bool = True
    jobs: int = 1
    resume: bool = False
    scheduler: str | None = None  # a Dask scheduler address: tcp://host:8786
    readalong: bool = False
    daisy: bool = False  # a DAISY 2.02 book per article (NAME.daisy.zip)
    braille: bool = False  # a braille file per article (NAME.brf)
    allow_private: bool = False
    encoding: str | None = None
    rules: tuple[Path, ...] = ()

    @property
    def destination(self) -> Destination:
        target = self.site or self.out
        if target is None:
            raise ConfigError("give exactly one of --site DIR and --out DIR")
        return destination(target)

    def fingerprint(self) -> str:
        """The options that change outputs (not where they are written, run or how fast)."""
        data = [self.voice, self.readalong, self.base_url, self.site is not None]
        data += [self.daisy, self.braille] if self.daisy or self.braille else []
        data += ["online"] if self.online else []
        return hashlib.sha256(json.dumps([data, __version__]).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Task:
    source: str
    options: BatchOptions
    previous: dict[str, Any] | None = None  # the manifest's entry from an earlier run
    # what a task shipped to a cluster carries instead of reading the client's files:
    payload: Raw | None = None  # the source's bytes (a URL is fetched where the task runs)
    present: bool | None = None  # are the previous run's outputs all still there?
    fingerprint: str = ""  # the options' fingerprint, taken where the options were given


@dataclass(slots=True)
class ItemResult:
    source: str
    status: Status
    inputs: str = ""
    id: str = ""
    headline: str = ""
    stages: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # path relative to the root → sha256
    error: str = ""
    exit: int = 0
    engine_calls: int = 0
    cache_hits: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- sources ---------------------------------------------------------------------------------


def expand_sources(sources: Sequence[str], options: Options) -> tuple[list[str], list[ItemResult]]:
    """Every article source, in order, without repeats; and failures of the expansion."""
    found: list[str] = []
    failed: list[ItemResult] = []
    for item in expand(sources, options):
        if item.error is not None:
            failed.append(
                ItemResult(item.source, "failed", error=str(item.error), exit=item.error.exit_code)
            )
        else:
            found.append(item.source)
    return list(dict.fromkeys(found)), failed


# --- one article (runs in a worker process) --------------------------------------------------


def still_there(dest: Destination, outputs: dict[str, str]) -> bool:
    try:
        return bool(outputs) and all(dest.sha256(n) == h for n, h in outputs.items())
    except NewsvoiceError:
        return False


def run_one(task: Task) -> ItemResult:
    """Extract, render and narrate (and publish) one article; never raises."""
    started = time.perf_counter()
    options = task.options
    result = ItemResult(task.source, "failed")
    try:
        load_options = Options(
            allow_private=options.allow_private,
            encoding=options.encoding,
            rules=load_rules(options.rules),
        )
        raw = task.payload or read(task.source, load_options)
        fingerprint = task.fingerprint or options.fingerprint()
        result.inputs = hashlib.sha256(raw.content + fingerprint.encode("ascii")).hexdigest()
        previous = task.previous or {}
        if (
            previous.get("status") == "done"
            and previous.get("inputs") == result.inputs
            and (
                task.present
                if task.present is not None
                else still_there(options.destination, previous.get("outputs", {}))
            )
        ):
            result.status = "skipped"
            result.id = previous.get("id", "")
            result.headline = previous.get("headline", "")
            result.outputs = previous.get("outputs", {})
            return result
        article = article_from(raw, load_options)
        result.id, result.headline = article.id, article.headline
        result.stages.append("extract")
        if options.site is not None:
            _publish(article, options.site, options, result)
        else:
            _write(article, options, result)
        result.status = "done"
    except NewsvoiceError as exc:
        result.error, result.exit = str(exc), int(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
        result.error = f"internal error: {one_line(exc)}"
        result.exit = int(ExitStatus.INTERNAL)
    finally:
        result.seconds = round(time.perf_counter() - started, 3)
    return result


def _write(article: Article, options: BatchOptions, result: ItemResult) -> None:
    """The article's files into ``<slug>-<id>/`` of the destination: rendered in place in a
    folder, or in a temp folder and then stored one whole object each."""
    dest = options.destination
    name = f"{slugify(article.headline, article.id)}-{article.id.replace('-', '')[:8]}"
    if dest.folder is not None:
        _render(article, options, dest.folder, name, result)
        return
    with tempfile.TemporaryDirectory(prefix="newsvoice-") as work:
        _render(article, options, Path(work), name, result)
        for stored in result.outputs:
            dest.put(stored, Path(work) / stored)


def _render(
    article: Article, options: BatchOptions, root: Path, name: str, result: ItemResult
) -> None:
    from .render.audio import AudioOptions
    from .render.bundle import BundleOptions, render_bundle

    folder = root / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SiteError(f"cannot write in {root}: {reason(exc)}") from exc
    bundle = render_bundle(
        article,
        folder,
        name,
        BundleOptions(
            audio=AudioOptions(
                voice=options.voice or "auto",
                online=options.online,
                jobs=1,
                transcript=True,
                chapters_json=True,
                cache_dir=options.cache_dir,
                use_cache=options.use_cache,
            ),
            readalong=options.readalong,
            daisy=options.daisy,
            braille=options.braille,
        ),
    )
    result.stages += ["epub", "audio", *_extra_stages(options)]
    audio = bundle.audio
    result.engine_calls, result.cache_hits = audio.stats.engine_calls, audio.stats.cache_hits
    result.outputs = {p.relative_to(root).as_posix(): sha256_file(p) for p in bundle.paths}


def _extra_stages(options: BatchOptions) -> list[str]:
    return [stage for stage, on in (("daisy", options.daisy), ("braille", options.braille)) if on]


def _publish(article: Article, site: Path, options: BatchOptions, result: ItemResult) -> None:
    from .podcast.episode import episodes_dir, read_records
    from .podcast.publish import PublishOptions, publish

    (published,) = publish(
        [article],
        site,
        PublishOptions(
            base_url=options.base_url,
            voice=options.voice,
            online=options.online,
            cache_dir=options.cache_dir,
            use_cache=options.use_cache,
            jobs=1,
            readalong=options.readalong,
            daisy=options.daisy,
            braille=options.braille,
        ),
    )
    result.stages += ["epub", "audio", *_extra_stages(options), "publish"]
    result.engine_calls, result.cache_hits = published.engine_calls, published.cache_hits
    for record in read_records(site):
        if record.id == article.id:
            folder = episodes_dir(site) / record.slug
            result.outputs = {
                str((folder / n).relative_to(site)): sha256_file(folder / n) for n in record.files
            }


# --- the manifest ------------------------------------------------------------------------------


def manifest_path(root: Path) -> Path:
    return root / MANIFEST


def read_manifest(root: Path | Destination) -> dict[str, dict[str, Any]]:
    dest = root if isinstance(root, Destination) else destination(root)
    where = f"{str(dest).rstrip('/')}/{MANIFEST.as_posix()}"
    raw = dest.read(MANIFEST.as_posix())  # a SiteError when it cannot be read at all
    if raw is None:
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise SiteError(
            f"{where} is unreadable ({exc})", hint="move it away to start the batch afresh"
        ) from exc
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        raise SiteError(f"{where} is not a newsvoice {MANIFEST_VERSION} manifest")
    items = data.get("items", {})
    return items if isinstance(items, dict) else {}


def write_manifest(root: Path | Destination, items: dict[str, dict[str, Any]]) -> None:
    dest = root if isinstance(root, Destination) else destination(root)
    data = {"version": MANIFEST_VERSION, "newsvoice": __version__, "items": items}
    dest.write(
        MANIFEST.as_posix(), (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()
    )


def _entry(result: ItemResult) -> dict[str, Any]:
    return {
        "source": result.source,
        "status": result.status if result.status != "skipped" else "done",
        "inputs": result.inputs,
        "id": result.id,
        "headline": result.headline,
        "stages": result.stages,
        "outputs": result.outputs,
        "error": result.error,
        "exit": result.exit,
        "updated": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


# --- running them all ----------------------------------------------------------------------------


def _local(tasks: list[Task], jobs: int) -> Iterator[ItemResult]:
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield run_one(task)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: set[Future[ItemResult]] = {pool.submit(run_one, t) for t in tasks}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()


def run_batch(
    sources: Sequence[str],
    options: BatchOptions,
    on_result: Callable[[ItemResult], None] | None = None,
) -> list[ItemResult]:
    """Run the batch; returns every article's result (skipped ones included)."""
    if (options.site is None) == (options.out is None):
        raise ConfigError("give exactly one of --site DIR and --out DIR")
    scheduler = options.scheduler or os.environ.get(SCHEDULER_ENV) or None
    options = replace(options, scheduler=scheduler, jobs=max(1, options.jobs))
    if options.site is not None:
        from .podcast.publish import site_config

        if is_store_url(options.site):
            raise ConfigError(
                f"--site {options.site}: a podcast site is a folder here",
                hint="use --out URL for an object store, or publish to a folder and sync it",
            )
        site_config(Path(options.site), options.base_url)  # a bad site stops us before any work
    dest = options.destination
    load_options = Options(allow_private=options.allow_private, encoding=options.encoding)
    with dest.lock("batch.lock", 0.5):
        manifest = read_manifest(dest)
        found, results = expand_sources(sources, load_options)
        tasks = []
        for source in found:
            previous = manifest.get(source)
            if (
                options.resume
                and previous
                and previous.get("status") == "done"
                and still_there(dest, previous.get("outputs", {}))
            ):
                results.append(
                    ItemResult(
                        source,
                        "skipped",
                        inputs=previous.get("inputs", ""),
                        id=previous.get("id", ""),
                        headline=previous.get("headline", ""),
                        outputs=previous.get("outputs", {}),
                    )
                )
                continue
            tasks.append(Task(source, options, previous))
        for result in results:
            if on_result:
                on_result(result)
        if scheduler:
            from .cluster import run_on_cluster

            runner = run_on_cluster(tasks, scheduler, dest)
        else:
            runner = _local(tasks, options.jobs)
        for result in runner:
            manifest[result.source] = _entry(result)
            write_manifest(dest, manifest)
            results.append(result)
            if on_result:
                on_result(result)
    return results


def exit_status(results: Sequence[ItemResult]) -> int:
    failed = [r for r in results if r.status == "failed"]
    if not failed:
        return ExitStatus.OK
    if len(failed) < len(results):
        return ExitStatus.PARTIAL
    return failed[0].exit or ExitStatus.INPUT
