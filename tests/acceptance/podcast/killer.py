"""Run the newsvoice CLI and SIGKILL it just before its Nth change to the file system.

``python tests/podcast/killer.py N ARGS...``: every ``os.replace``, ``os.rename``,
``os.unlink`` and ``os.rmdir`` (which Path.replace, Path.unlink, shutil.rmtree and the
atomic writer all go through) counts as one point; the Nth never happens. With N = 0 nothing
is killed and the number of points is printed on stderr as ``kill-points: K``. With
``--store`` before N the points are instead the changes to an object store (every upload and
deletion of ``newsvoice.storage.Store``), for a site published to ``s3://``; the count run
(N = 0) then prints each on stderr, as ``store-change I: METHOD NAME``.

``python tests/podcast/killer.py --serve``: the same for many runs without paying for Python
and newsvoice's imports each time. It imports the CLI and the libraries a publish loads, then
reads one JSON request per line (``{"point": N, "argv": [...]}``, and ``"store": true`` to
count the object store's changes) and forks a child for each:
a real process that runs ``newsvoice.cli.main`` from the start and is killed by the real
SIGKILL. The answer is one JSON line: ``{"status": S, "stderr": "..."}``, S being the child's
exit status, negative for the signal that ended it (as ``subprocess`` reports it).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no BLAS threads in a process that forks
target = 0
seen = 0
counting = "files"  # or "store"


def _hook(owner: Any, name: str, kind: str) -> None:
    real = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        global seen
        if counting == kind:
            seen += 1
            if seen == target:
                os.kill(os.getpid(), signal.SIGKILL)
            if target == 0 and kind == "store":  # the count run names each change
                os.write(2, f"store-change {seen}: {name} {args[1]!s}\n".encode())
        return real(*args, **kwargs)

    setattr(owner, name, wrapper)


def _run(argv: list[str]) -> int:
    """``newsvoice ARGV`` in this process, with the hooks; its exit status."""
    from newsvoice.cli import main

    sys.argv = ["newsvoice", *argv]
    try:
        main()
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def _child(point: int, argv: list[str], err_fd: int, kind: str) -> None:
    global target, seen, counting
    target, seen, counting = point, 0, kind
    os.dup2(err_fd, 2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    status = 1
    try:
        status = _run(argv)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(2, f"kill-points: {seen}\n".encode())
        os._exit(status)


def serve() -> None:
    import newsvoice.cli
    import newsvoice.engines.hibari
    import newsvoice.podcast.publish
    import newsvoice.render.bundle
    import newsvoice.sources  # noqa: F401 - the imports a publish makes, made once

    for line in sys.stdin:
        request = json.loads(line)
        with tempfile.TemporaryFile() as err:
            pid = os.fork()
            if pid == 0:
                kind = "store" if request.get("store") else "files"
                _child(int(request["point"]), list(request["argv"]), err.fileno(), kind)
            _, wait_status = os.waitpid(pid, 0)
            status = os.waitstatus_to_exitcode(wait_status)
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        sys.stdout.write(json.dumps({"status": status, "stderr": stderr}) + "\n")
        sys.stdout.flush()


for _name in ("replace", "rename", "unlink", "rmdir"):
    _hook(os, _name, "files")
from newsvoice.storage import Store  # noqa: E402 - after the hooks on os, which it may use

for _name in ("write", "put", "put_typed", "delete"):
    _hook(Store, _name, "store")

if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve()
    else:
        args = sys.argv[1:]
        if args[0] == "--store":
            counting, args = "store", args[1:]
        target = int(args[0])
        code = 1
        try:
            code = _run(args[1:])
        finally:
            os.write(2, f"kill-points: {seen}\n".encode())
        sys.exit(code)
