# ruff: noqa: PTH100, PTH109, PTH115, PTH116, PTH117, PTH118, PTH119, PTH120, PTH123
# (os and os.path on purpose: they are what the hooks replace, and what they call)
"""A fork server that runs the newsvoice CLI in child processes with file-system faults.

Run as ``python tests/faults/forkserver.py``: it imports newsvoice and its heavy libraries
once, then reads one JSON request per line on stdin and answers one JSON line on stdout.
Each request is run by a forked child (a real process running ``newsvoice.cli.main`` from
the start, so SIGKILL, ``os._exit`` and exit codes are the real thing; only the import time
is saved). In the child, every change to the file system under the request's ``watch``
directories is one *event*, and a fault can be set at any event:

- ``open``/``create``: a file opened for writing (``open``, ``io.open``, ``os.open``);
- ``write``: one piece of a write to such a file. Writes are cut into pieces of at most
  ``chunk`` bytes (characters for text files), each flushed to the kernel before the next,
  so "killed before piece k" leaves exactly the first k-1 pieces in the file;
- ``fsync``, ``chmod``, ``mkdir``, ``replace``, ``rename``, ``unlink``, ``rmdir``;
- ``exit``: the command has returned and the process is about to exit (the last point);
- ``ffmpeg``: ``slices`` moments while an ffmpeg subprocess writes a watched file: slice i
  comes when its output has first reached i/slices of ``ffmpeg_size`` (the size an
  undisturbed run produced), or when ffmpeg has exited, whichever is first.

Faults: ``kill`` = N sends SIGKILL to the child just before its Nth event (the event never
happens; with 0 nothing is killed); ``budget`` = B emulates a disk on which B bytes can be
written in all (space freed by deleting files is not given back): a write that would pass it
writes what fits and raises ENOSPC; ffmpeg's output past it is cut, and the run reported as
ffmpeg 5.1 reports a full disk: "Error writing trailer of …: No space left on device" on
stderr, and exit status 0. ``engine_fault`` makes an engine crash after
``after`` sentences by raising (``raise``: inside the engine, so the engine's own error
handling runs), exiting (``exit``: ``os._exit(70)``, as a native crash would) or being
killed (``kill``: SIGKILL).

Every event is appended to the ``events`` file (a ``kind path [detail]`` line) before it
happens, so after a kill the last line names the event that never happened.
"""

from __future__ import annotations

import builtins
import contextlib
import ctypes
import errno
import gc
import hashlib
import importlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# the heavy imports, once, in the server
import PIL.Image

import newsvoice.cli
import newsvoice.engines.fake
import newsvoice.engines.hibari
import newsvoice.podcast.publish
import newsvoice.render.audio
import newsvoice.render.bundle
import newsvoice.render.epub

# and what a run imports lazily (typer's option parsing, Pillow's plugins, ...); the default
# engine's library is imported, its model is loaded only by a child that speaks with it
for _name in ("hibari", "typer._adapters", "pydantic", "zoneinfo", "decimal", "newsvoice.voices"):
    with contextlib.suppress(ImportError):  # all are dependencies
        importlib.import_module(_name)
PIL.Image.init()

PR_SET_CHILD_SUBREAPER = 36
POLL_S = 0.001


class Harness:
    """The hooks of one child process."""

    def __init__(self, request: dict[str, Any]) -> None:
        self.watch = tuple(os.path.realpath(d) for d in request.get("watch", ()))
        self.chunk = max(1, int(request.get("chunk", 1 << 30)))
        self.chunks = [(str(part), max(1, int(size))) for part, size in request.get("chunks", ())]
        self.slices = int(request.get("slices", 0))
        self.ffmpeg_size = int(request.get("ffmpeg_size", 0))
        self.kill = int(request.get("kill", 0))
        self.budget = int(request.get("budget", -1))
        self.used = 0
        self.seen = 0
        self.cwd = os.getcwd()
        self.lock = threading.RLock()
        self.log_fd = os.open(request["events"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.real: dict[str, Any] = {}

    # --- events ----------------------------------------------------------------------------

    def watched(self, path: Any, dir_fd: int | None = None) -> str | None:
        """The absolute path if it is under a watched directory, else None."""
        if isinstance(path, int):
            try:
                name = os.readlink(f"/proc/self/fd/{path}")
            except OSError:
                return None
            if not name.startswith("/"):  # a pipe or a socket
                return None
        else:
            name = os.fsdecode(os.fspath(path))
            if dir_fd is not None and not os.path.isabs(name):
                try:
                    name = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), name)
                except OSError:
                    return None
            name = os.path.abspath(name)
        real = os.path.realpath(os.path.dirname(name))
        full = os.path.join(real, os.path.basename(name))
        for root in self.watch:
            if full == root or full.startswith(root + os.sep):
                return full
        return None

    def piece_size(self, path: str) -> int:
        """The first ``chunks`` rule whose text is in the file's name, else ``chunk``."""
        name = os.path.basename(path)
        return next((size for part, size in self.chunks if part in name), self.chunk)

    def event(self, kind: str, path: str, detail: str = "") -> None:
        with self.lock:
            self.seen += 1
            shown = os.path.relpath(path, self.cwd)
            line = f"{kind} {shown} {detail}".rstrip()
            self.real["write"](self.log_fd, f"{line}\n".encode())
            if self.seen == self.kill:
                os.kill(os.getpid(), signal.SIGKILL)
                time.sleep(10)  # pragma: no cover - the signal arrives first

    def spend(self, size: int) -> int:
        """Bytes of ``size`` that fit on the emulated disk (all of them without a budget)."""
        if self.budget < 0:
            return size
        fits = max(0, min(size, self.budget - self.used))
        self.used += fits
        return fits

    # --- hooks -----------------------------------------------------------------------------

    def install(self) -> None:
        self.real = {
            name: getattr(os, name)
            for name in (
                "open", "write", "fsync", "chmod", "mkdir", "replace", "rename", "unlink",
                "rmdir",
            )
        }  # fmt: skip
        self.real["io_open"] = io.open
        self.real["run"] = subprocess.run
        harness = self

        def os_open(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
            writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC)
            full = harness.watched(path, dir_fd) if writing else None
            if full is not None:
                harness.event("create", full)
            return int(harness.real["open"](path, flags, mode, dir_fd=dir_fd))

        def io_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            writing = any(c in mode for c in "wax+")
            if not writing:
                return harness.real["io_open"](file, mode, *args, **kwargs)
            # with an opener (NamedTemporaryFile) or an fd, os.open is the event
            by_path = not isinstance(file, int) and kwargs.get("opener") is None
            full = harness.watched(file) if by_path else None
            if full is not None:
                harness.event("open", full)
            handle = harness.real["io_open"](file, mode, *args, **kwargs)
            opened = harness.watched(handle.fileno())
            return handle if opened is None else Pieces(handle, opened, harness)

        def os_write(fd: int, data: Any) -> int:
            full = harness.watched(fd)
            if full is None:
                return int(harness.real["write"](fd, data))
            harness.event("write", full, str(len(data)))
            fits = harness.spend(len(data))
            written = int(harness.real["write"](fd, bytes(data)[:fits]))
            if fits < len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return written

        def fd_op(kind: str) -> Any:
            def hooked(fd: int, *args: Any, **kwargs: Any) -> Any:
                full = harness.watched(fd)
                if full is not None:
                    harness.event(kind, full)
                return harness.real[kind](fd, *args, **kwargs)

            return hooked

        def path_op(kind: str) -> Any:
            def hooked(path: Any, *args: Any, **kwargs: Any) -> Any:
                full = harness.watched(path, kwargs.get("dir_fd"))
                if full is not None:
                    harness.event(kind, full)
                return harness.real[kind](path, *args, **kwargs)

            return hooked

        def move_op(kind: str) -> Any:
            def hooked(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
                full = harness.watched(dst, kwargs.get("dst_dir_fd")) or harness.watched(
                    src, kwargs.get("src_dir_fd")
                )
                if full is not None:
                    harness.event(kind, full)
                return harness.real[kind](src, dst, *args, **kwargs)

            return hooked

        def run(*popenargs: Any, **kwargs: Any) -> Any:
            command = popenargs[0] if popenargs else kwargs.get("args")
            if (
                isinstance(command, list)
                and command
                and os.path.basename(str(command[0])).startswith("ffmpeg")
            ):
                full = harness.watched(str(command[-1]))
                if full is not None:
                    return harness.ffmpeg(command, full, kwargs)
            return harness.real["run"](*popenargs, **kwargs)

        os.open = os_open
        os.write = os_write
        os.fsync = fd_op("fsync")
        os.chmod = path_op("chmod")
        os.mkdir = path_op("mkdir")
        os.unlink = path_op("unlink")
        os.rmdir = path_op("rmdir")
        os.replace = move_op("replace")
        os.rename = move_op("rename")
        io.open = io_open
        builtins.open = io_open
        subprocess.run = run

    def ffmpeg(self, command: list[str], output: str, kwargs: dict[str, Any]) -> Any:
        """Run ffmpeg with ``slices`` events while it writes ``output``."""
        data = kwargs.get("input")
        process = subprocess.Popen(
            command,
            stdin=kwargs.get("stdin", subprocess.PIPE),  # the PCM: bytes (input) or a file
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        result: list[tuple[bytes, bytes]] = []
        feeder = threading.Thread(target=lambda: result.append(process.communicate(data)))
        feeder.start()
        thresholds = [
            i * self.ffmpeg_size // self.slices if self.ffmpeg_size else 1 << 62
            for i in range(self.slices)
        ]
        for threshold in thresholds:
            size = 0
            while True:
                try:
                    size = os.stat(output).st_size
                except OSError:
                    size = 0
                if size >= threshold or not feeder.is_alive():
                    break
                time.sleep(POLL_S)
            self.event("ffmpeg", output, f"{size}{'' if feeder.is_alive() else ' exited'}")
        feeder.join()
        stdout, stderr = result[0]
        code = process.returncode
        if code == 0 and self.budget >= 0:
            size = os.stat(output).st_size
            fits = self.spend(size)
            if fits < size:  # what ffmpeg 5.1 does on a full disk: it says so, and exits 0
                os.truncate(output, fits)
                stderr += (
                    f"Error writing trailer of {output}: No space left on device\n"
                    f"Error closing file {output}: No space left on device\n"
                ).encode()
        return subprocess.CompletedProcess(command, code, stdout, stderr)


class Pieces:
    """A file opened for writing whose writes go to the kernel in flushed pieces, each one
    an event (and each one charged to the emulated disk's budget)."""

    def __init__(self, handle: Any, path: str, harness: Harness) -> None:
        self._handle = handle
        self._path = path
        self._harness = harness

    def write(self, data: Any) -> int:
        harness = self._harness
        size = harness.piece_size(self._path)
        for start in range(0, len(data), size) if data else ():
            piece = data[start : start + size]
            cost = len(piece.encode("utf-8")) if isinstance(piece, str) else len(piece)
            harness.event("write", self._path, str(cost))
            fits = harness.spend(cost)
            if fits < cost:
                if isinstance(piece, bytes | bytearray | memoryview):
                    self._handle.write(piece[:fits])
                    self._handle.flush()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self._handle.write(piece)
            self._handle.flush()
        return len(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __enter__(self) -> Pieces:
        self._handle.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self._handle.__exit__(*exc)

    def __iter__(self) -> Any:
        return iter(self._handle)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def _engine_fault(spec: dict[str, Any]) -> None:
    """Make the named engine crash after ``spec['after']`` sentences."""
    after, mode, name = int(spec["after"]), spec["mode"], spec["engine"]
    lock = threading.Lock()
    count = [0]

    def crash() -> None:
        with lock:
            count[0] += 1
            if count[0] <= after:
                return
        if mode == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(10)  # pragma: no cover
        if mode == "exit":
            os._exit(70)
        raise RuntimeError("engine crashed: the model runtime failed")

    if name == "hibari":
        # inside the model, so that the engine's own error handling runs
        original = newsvoice.engines.hibari._model

        def model(voice: str) -> Any:
            crash()
            return original(voice)

        newsvoice.engines.hibari._model = model
    else:
        engine = newsvoice.engines.fake.FakeEngine
        synthesize = engine.synthesize

        def fake(self: Any, text: str, voice: Any) -> Any:
            crash()
            return synthesize(self, text, voice)

        engine.synthesize = fake  # type: ignore[method-assign, unused-ignore]


def _child(request: dict[str, Any], out: int, err: int) -> None:
    """Runs in the forked child; never returns."""
    code = 1
    try:
        os.setpgid(0, 0)  # ffmpeg and the like join this group, so the server can wait for them
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        for fd in (devnull, out, err):
            os.close(fd)
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - the child's stdin
        sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), "utf-8")
        sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), "utf-8")
        os.chdir(request["cwd"])
        os.environ.update(request.get("env", {}))
        time.tzset()
        harness = Harness(request)
        if request.get("engine_fault"):
            _engine_fault(request["engine_fault"])
        harness.install()
        sys.argv = ["newsvoice", *request["argv"]]
        try:
            newsvoice.cli.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if harness.watch:
            harness.event("exit", harness.cwd)  # the last point: everything done, not yet gone
    except BaseException:  # noqa: BLE001 - report anything, the parent checks it
        traceback.print_exc()
        code = 99
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _wait_group(pid: int) -> int:
    """Wait for the child, then for whatever it left running in its process group."""
    _, status = os.waitpid(pid, 0)
    deadline = time.monotonic() + 30
    while True:
        try:
            done, _ = os.waitpid(-pid, os.WNOHANG)
        except ChildProcessError:
            break
        if done == 0:
            if time.monotonic() > deadline:
                os.killpg(pid, signal.SIGKILL)
            time.sleep(0.005)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _snapshot(directory: Path) -> dict[str, list[Any]]:
    """Every file under ``directory``: relative path → [size, sha256]."""
    found: dict[str, list[Any]] = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found[str(path.relative_to(directory))] = [len(data), hashlib.sha256(data).hexdigest()]
    return found


def _free(directory: str) -> int:
    stats = os.statvfs(directory)
    return stats.f_bavail * stats.f_frsize


def _operation(request: dict[str, Any]) -> Any:
    """The server's own work, for a server in a mount namespace of its own (``unshare -m``):
    mount a small tmpfs, copy files in and out, fill it, list it."""
    op = request["op"]
    if op == "mount":
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={int(request['size'])}", "tmpfs",
             request["path"]],
            check=True, capture_output=True,
        )  # fmt: skip
        return _free(request["path"])
    if op == "umount":
        subprocess.run(["umount", request["path"]], check=True, capture_output=True)
        return None
    if op == "copy":
        source, target = Path(request["src"]), Path(request["dst"])
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        return None
    if op == "fill":  # leave ``free`` bytes free on the file system of ``dir``
        filler = Path(request["dir"]) / ".filler"
        size = _free(request["dir"]) - int(request["free"])
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.posix_fallocate(fd, 0, max(1, size))
        finally:
            os.close(fd)
        return _free(request["dir"])
    if op == "remove":
        Path(request["path"]).unlink()
        return _free(str(Path(request["path"]).parent))
    if op == "snapshot":
        return _snapshot(Path(request["dir"]))
    raise ValueError(f"unknown op {op!r}")


def serve() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphans (a killed child's ffmpeg) come here
    gc.freeze()  # the children's collections leave the server's objects (and pages) alone
    for line in sys.stdin:
        request = json.loads(line)
        if "op" in request:
            try:
                reply = {"result": _operation(request)}
            except (OSError, subprocess.CalledProcessError, ValueError) as exc:
                stderr = getattr(exc, "stderr", b"") or b""
                reply = {"error": f"{exc} {stderr.decode('utf-8', 'replace')}".strip()}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()
            continue
        scratch = Path(request["events"]).with_suffix("")
        out_path, err_path = scratch.with_suffix(".out"), scratch.with_suffix(".err")
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        sys.stdout.flush()
        sys.stderr.flush()
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            _child(request, out, err)
        os.close(out)
        os.close(err)
        status = _wait_group(pid)
        answer = {
            "status": status,
            "stdout": out_path.read_text("utf-8", "replace"),
            "stderr": err_path.read_text("utf-8", "replace"),
            "seconds": time.perf_counter() - started,
        }
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
