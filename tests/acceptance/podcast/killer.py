"""Run the newsvoice CLI and SIGKILL it just before its Nth change to the file system.

``python tests/podcast/killer.py N ARGS...``: every ``os.replace``, ``os.rename``,
``os.unlink`` and ``os.rmdir`` (which Path.replace, Path.unlink, shutil.rmtree and the
atomic writer all go through) counts as one point; the Nth never happens. With N = 0 nothing
is killed and the number of points is printed on stderr as ``kill-points: K``.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
from typing import Any

target = int(sys.argv[1])
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


for _name in ("replace", "rename", "unlink", "rmdir"):
    _hook(_name)
atexit.register(lambda: os.write(2, f"kill-points: {seen}\n".encode()))
sys.argv = ["newsvoice", *sys.argv[2:]]

from newsvoice.cli import main  # noqa: E402 - after the hooks

main()
