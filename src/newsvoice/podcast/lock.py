"""One publisher at a time per site: an exclusive ``flock`` on ``DIR/.newsvoice/lock``.

The kernel drops the lock when its holder exits, however it exits (SIGKILL included), so a
crashed publisher never leaves the site locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from typing import TYPE_CHECKING

from ..errors import SiteError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

STATE_DIR = ".newsvoice"
LOCK_NAME = "lock"
WAIT_SECONDS = 600.0


@contextlib.contextmanager
def site_lock(site: Path, wait: float = WAIT_SECONDS, name: str = LOCK_NAME) -> Iterator[None]:
    """Hold the site's lock ``name`` for the block; wait up to ``wait`` seconds for another
    holder (publishers take "lock"; a batch run holds "batch.lock" from start to end)."""
    state = site / STATE_DIR
    try:
        state.mkdir(parents=True, exist_ok=True)
        fd = os.open(state / name, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise SiteError(f"cannot lock {site}: {exc.strerror or exc}") from exc
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    doing = "publishing to" if name == LOCK_NAME else "running a batch in"
                    raise SiteError(
                        f"another newsvoice is {doing} {site}", hint="wait for it to finish"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
