"""``newsvoice batch --scheduler``: the articles on a Dask cluster whose workers share nothing
with this machine.

A task carries what it needs (``ship``): the source's bytes, read here (a URL stays a URL and
is fetched by the worker under the same address and size rules), the text of the user's
rules files and voice preset file, and whether the previous run's outputs are still there.
The worker renders into a private temp folder (``run_shipped``) and returns the files with
its result; they come straight from the worker (``direct_to_workers``), not through the
scheduler, and this machine writes each one whole and checks it against its hash (``land``).
With ``--out`` an object store, the workers write to the store themselves and return only the
result. A worker that dies mid-article leaves nothing behind: Dask runs the task again
elsewhere, and nothing of it is written until a result arrives. A worker plugin starts loading
the voice when a worker joins, so the model loads once per worker, not once per task.

With ``--site`` the workers publish into the site folder themselves, so they must see it at
the same path (a shared file system); ``--out`` needs nothing shared.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch import BatchOptions, ItemResult, Task, run_one, still_there
from .errors import ConfigError, ExitStatus, NewsvoiceError, SiteError, one_line, reason
from .sources import Options, is_url, read

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .storage import Destination

log = logging.getLogger(__name__)
RETRIES = 2  # a task whose worker dies runs again on another, this many times
IN_FLIGHT_PER_THREAD = 2  # tasks submitted ahead of the workers: sources read, not all at once


@dataclass(frozen=True, slots=True)
class Shipment:
    """A task as it travels: the task (with its source's bytes) and the user's files' text."""

    task: Task
    rules: tuple[tuple[str, str], ...] = ()  # (file name, TOML text) of each --rules file
    preset: tuple[str, str] | None = None  # (file name, TOML text) of a --voice preset file
    to_client: bool = True  # return the files (else the worker stores them itself)


@dataclass(slots=True)
class Landed:
    result: ItemResult
    files: dict[str, bytes] = field(default_factory=dict)  # name in the destination → bytes


def user_files(options: BatchOptions) -> Shipment:
    """The text of the user's files every task needs (read once per batch): the ``--rules``
    files and a ``--voice`` preset file."""
    try:
        rules = tuple((p.name, p.read_text("utf-8")) for p in options.rules)
        preset = None
        voice = options.voice
        if voice and (voice.endswith(".toml") or Path(voice).is_file()):
            preset = (Path(voice).name, Path(voice).read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read a file to send to the cluster: {reason(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"a file to send to the cluster is not UTF-8: {exc}") from exc
    return Shipment(Task("", options), rules, preset)


def ship(task: Task, dest: Destination, files: Shipment | None = None) -> Shipment | ItemResult:
    """Client side: everything a worker needs that is on this machine (a failed result when a
    source cannot be read). ``files``: the batch's ``user_files``, read once."""
    options = task.options
    files = files or user_files(options)
    payload = None
    if not is_url(task.source):
        try:
            load_options = Options(allow_private=options.allow_private, encoding=options.encoding)
            payload = read(task.source, load_options)
        except NewsvoiceError as exc:
            return ItemResult(task.source, "failed", error=str(exc), exit=int(exc.exit_code))
    previous = task.previous or {}
    present = None
    if previous.get("status") == "done":
        present = still_there(dest, previous.get("outputs", {}))
    return Shipment(
        replace(task, payload=payload, present=present, fingerprint=options.fingerprint()),
        files.rules,
        files.preset,
        to_client=dest.folder is not None,
    )


def run_shipped(shipment: Shipment) -> Landed:
    """Worker side: run the task in a private temp folder; never raises."""
    task = shipment.task
    try:
        with tempfile.TemporaryDirectory(prefix="newsvoice-task-") as work:
            root = Path(work)
            rules = tuple(
                _write(root / "rules" / f"{n}-{name}", text)
                for n, (name, text) in enumerate(shipment.rules)
            )
            voice = task.options.voice
            if shipment.preset is not None:
                voice = str(_write(root / "voice" / shipment.preset[0], shipment.preset[1]))
            options = replace(task.options, rules=rules, voice=voice)
            if shipment.to_client:
                options = replace(options, out=root / "out")
            result = run_one(replace(task, options=options))
            files = {}
            if shipment.to_client and result.status == "done":
                files = {name: (root / "out" / name).read_bytes() for name in result.outputs}
            return Landed(result, files)
    except OSError as exc:
        failed = ItemResult(task.source, "failed", error=f"the worker could not: {reason(exc)}")
        failed.exit = int(ExitStatus.INTERNAL)
        return Landed(failed)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def land(landed: Landed, dest: Destination) -> ItemResult:
    """Client side: write a finished task's files, each whole and as its hash says."""
    result = landed.result
    try:
        for name, data in landed.files.items():
            if hashlib.sha256(data).hexdigest() != result.outputs.get(name):
                raise SiteError(f"{name} came back from the cluster damaged")
            dest.write(name, data)
    except NewsvoiceError as exc:
        result.status, result.error, result.exit = "failed", str(exc), int(exc.exit_code)
    return result


def _warmup_plugin(voice: str | None, online: bool) -> Any:
    from distributed import WorkerPlugin

    class Warmup(WorkerPlugin):
        """Load the batch's voice when a worker starts (the engine keeps it loaded for the
        worker's life), while the first task is still reading its article."""

        name = "newsvoice-warmup"

        def setup(self, worker: Any) -> None:
            threading.Thread(target=_warm, args=(voice, online), daemon=True).start()

    return Warmup()


def _warm(voice: str | None, online: bool) -> None:
    from .engines import load_engine
    from .narration.presets import choose_preset

    try:
        preset = choose_preset(voice or "auto", "en", online)
        load_engine(preset.engine).synthesize("Ready.", preset.spec("en"))
    except Exception as exc:  # noqa: BLE001 - a warm-up that fails costs nothing but time
        log.debug("warm-up of %s failed: %s", voice, exc)


def run_on_cluster(tasks: list[Task], address: str, dest: Destination) -> Iterator[ItemResult]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise ConfigError(
            "--scheduler needs Dask", hint="pip install 'newsvoice[cluster]'"
        ) from exc
    try:
        client = Client(  # type: ignore[no-untyped-call]
            address, set_as_default=False, timeout="20s", direct_to_workers=True
        )
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    with client:
        if tasks and tasks[0].options.site is None:
            options = tasks[0].options
            if not (options.voice or "").endswith(".toml"):
                client.register_plugin(_warmup_plugin(options.voice, options.online))
        threads = sum(client.nthreads().values()) or 1  # type: ignore[no-untyped-call]
        window = max(4, IN_FLIGHT_PER_THREAD * threads)
        files = user_files(tasks[0].options) if tasks else None
        waiting = iter(enumerate(tasks))
        running: dict[Any, Task] = {}
        done = as_completed(loop=client.loop)  # type: ignore[no-untyped-call]

        def submit_next() -> Iterator[ItemResult]:
            for n, task in waiting:
                key = f"newsvoice-{n}-{os.getpid()}"
                future: Any
                if task.options.site is not None:  # workers see the site: the shared way
                    future = client.submit(run_one, task, pure=False, retries=RETRIES, key=key)
                else:
                    shipment = ship(task, dest, files)
                    if isinstance(shipment, ItemResult):
                        yield shipment
                        continue
                    future = client.submit(
                        run_shipped, shipment, pure=False, retries=RETRIES, key=key
                    )
                running[future] = task
                done.add(future)  # type: ignore[no-untyped-call]
                return

        for _ in range(window):
            yield from submit_next()
        for future in done:
            task = running.pop(future)
            try:
                value = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the task's workers all died
                yield ItemResult(
                    task.source,
                    "failed",
                    error=f"the cluster could not run it: {one_line(exc)}",
                    exit=int(ExitStatus.INTERNAL),
                )
            else:
                yield land(value, dest) if isinstance(value, Landed) else value
            finally:
                future.release()
            yield from submit_next()
