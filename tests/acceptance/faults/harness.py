"""The test side of the fork server (``forkserver.py``): send requests, read the answers,
two servers at a time (the machine has two cores). ``FAULTS_TRACE=1`` prints each run's
time and exit status on stderr."""

from __future__ import annotations

import itertools
import json
import os
import queue
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

ROOT = Path(__file__).resolve().parents[3]
FORKSERVER = Path(__file__).with_name("forkserver.py")
KILLED = -9  # the status of a child that died of SIGKILL
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Event:
    kind: str  # create, open, write, fsync, chmod, mkdir, replace, rename, unlink, rmdir, ffmpeg
    path: str  # relative to the run's working directory
    detail: str = ""  # ffmpeg: the size its output had reached ("exited" once it had exited)

    @classmethod
    def parse(cls, line: str) -> Event:
        kind, path, *rest = line.split(" ", 2)
        return cls(kind, path, rest[0] if rest else "")

    def __str__(self) -> str:
        return f"{self.kind} {self.path} {self.detail}".rstrip()


@dataclass(frozen=True)
class Run:
    status: int  # the exit code, or -N when killed by signal N
    stdout: str
    stderr: str
    events: tuple[Event, ...]  # up to and including the one a kill stopped
    seconds: float

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("error:")]

    def json(self) -> list[dict[str, Any]]:
        assert self.status == 0, self.stderr
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


def server_env() -> dict[str, str]:
    """The environment of a user's shell: no pytest or debug switches, UTC, UTF-8."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NEWSVOICE_DEBUG", "PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER")
    }
    env.update(PYTHONIOENCODING="utf-8", TZ="UTC", OPENBLAS_NUM_THREADS="1")
    return env


class ForkServer:
    """One ``forkserver.py`` process; one request at a time."""

    _ids = itertools.count()

    def __init__(self, scratch: Path, *, namespace: bool = False) -> None:
        """``namespace``: run in a mount namespace of its own (``unshare -m``, needs root),
        where ``op("mount", ...)`` mounts a tmpfs that only this server and its children see."""
        self.scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        prefix = ["unshare", "--mount", "--propagation", "private"] if namespace else []
        self.process = subprocess.Popen(
            [*prefix, sys.executable, str(FORKSERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env=server_env(),
        )

    def run(
        self,
        argv: Sequence[str | Path],
        cwd: Path,
        *,
        watch: Sequence[Path] = (),
        kill: int = 0,
        chunk: int = 1 << 30,
        chunks: Sequence[tuple[str, int]] = (),
        slices: int = 0,
        ffmpeg_size: int = 0,
        budget: int = -1,
        engine_fault: dict[str, Any] | None = None,
        env: dict[str, str] | None = None,
    ) -> Run:
        events = self.scratch / f"run-{next(self._ids)}.events"
        request = {
            "argv": [str(a) for a in argv],
            "cwd": str(cwd),
            "watch": [str(w) for w in watch],
            "kill": kill,
            "chunk": chunk,
            "chunks": [list(rule) for rule in chunks],
            "slices": slices,
            "ffmpeg_size": ffmpeg_size,
            "budget": budget,
            "engine_fault": engine_fault,
            "env": env or {},
            "events": str(events),
        }
        answer = self._ask(request)
        logged: tuple[Event, ...] = ()
        if events.exists():
            logged = tuple(map(Event.parse, events.read_text("utf-8").splitlines()))
            events.unlink()
        if os.environ.get("FAULTS_TRACE"):
            sys.stderr.write(f"{answer['seconds']:.3f}s kill={kill} {answer['status']} {argv[0]}\n")
        return Run(answer["status"], answer["stdout"], answer["stderr"], logged, answer["seconds"])

    def op(self, name: str, **arguments: Any) -> Any:
        """One of the server's own operations (mount, umount, copy, fill, remove, snapshot)."""
        answer = self._ask({"op": name, **arguments})
        if "error" in answer:
            raise OSError(f"{name}: {answer['error']}")
        return answer["result"]

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        stdin = cast("IO[str]", self.process.stdin)
        stdout = cast("IO[str]", self.process.stdout)
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise RuntimeError("the fork server died")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        finally:
            if self.process.stdout:
                self.process.stdout.close()


class Servers:
    """Two fork servers; ``map`` runs a function over items two at a time, each call with a
    server of its own."""

    def __init__(self, scratch: Path, count: int = 2) -> None:
        self.all = [ForkServer(scratch / f"server-{i}") for i in range(count)]
        self.free: queue.Queue[ForkServer] = queue.Queue()
        for server in self.all:
            self.free.put(server)

    def run(self, argv: Sequence[str | Path], cwd: Path, **options: Any) -> Run:
        server = self.free.get()
        try:
            return server.run(argv, cwd, **options)
        finally:
            self.free.put(server)

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> list[R]:
        with ThreadPoolExecutor(len(self.all)) as pool:
            return list(pool.map(function, items))

    def close(self) -> None:
        for server in self.all:
            server.close()
