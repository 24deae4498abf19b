"""Files written whole or not at all: a temp file beside the target, fsync, ``os.replace``."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import RenderError

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def atomic_writer(path: Path, *, durable: bool = True) -> Iterator[IO[bytes]]:
    """Yield a binary file that becomes ``path`` only if the block finishes without error.

    The temp file lives in the target's directory (so the rename is atomic) and is removed on
    any failure, Ctrl-C included; an existing ``path`` is untouched until the final rename.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path()
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, on every path
            mode="wb", dir=directory, prefix=f".{target.name}.", suffix=".tmp", delete=False
        )
    except OSError as exc:
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from exc
    temp = Path(handle.name)
    try:
        with handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        temp.chmod(0o644)  # mkstemp makes 0600; outputs are for sharing
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically; OSError becomes a one-line RenderError."""
    try:
        with atomic_writer(path, durable=durable) as out:
            out.write(data)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from exc
