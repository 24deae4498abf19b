"""Run the newsvoice CLI and SIGKILL it just before its Nth change to the file system.

``python tests/podcast/killer.py N ARGS...``: every ``os.replace``, ``os.rename``,
``os.unlink`` and ``os.rmdir`` (which Path.replace, Path.unlink, shutil.rmtree and the
atomic writer all go through) counts as one point; the Nth never happens. With N = 0 nothing
is killed and the number of points is printed on stderr as ``kill-points: K``.

``python tests/podcast/killer.py --serve``: the same for many runs without paying for Python
and newsvoice's imports each time. It imports the CLI and the libraries a publish loads, then
reads one JSON request per line (``{"point": N, "argv": [...]}``) and forks a child for each:
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


def _hook(name: str) -> None:
    real = getattr(os, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        global seen
        seen += 1
        if seen == target:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    setattr(os, name, wrapper)


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


def _child(point: int, argv: list[str], err_fd: int) -> None:
    global target, seen
    target, seen = point, 0
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
                _child(int(request["point"]), list(request["argv"]), err.fileno())
            _, wait_status = os.waitpid(pid, 0)
            status = os.waitstatus_to_exitcode(wait_status)
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        sys.stdout.write(json.dumps({"status": status, "stderr": stderr}) + "\n")
        sys.stdout.flush()


for _name in ("replace", "rename", "unlink", "rmdir"):
    _hook(_name)

if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve()
    else:
        target = int(sys.argv[1])
        code = 1
        try:
            code = _run(sys.argv[2:])
        finally:
            os.write(2, f"kill-points: {seen}\n".encode())
        sys.exit(code)
