"""Files and folders, shared by every stage: writes that land whole or not at all (a temp file
beside the target, fsync, ``os.replace``), content hashes, safe folder names, the lock that
keeps one writer per output folder, the build time (``SOURCE_DATE_EPOCH``) and ffmpeg."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import RenderError, SiteError, reason

if TYPE_CHECKING:
    from collections.abc import Iterator

STATE_DIR = ".newsvoice"  # newsvoice's own files inside an output folder
LOCK_NAME = "lock"
WAIT_SECONDS = 600.0
MAX_SLUG = 60
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}


# --- atomic writes -------------------------------------------------------------------------


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
        raise RenderError(f"cannot write {target}: {reason(exc)}") from exc
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
        raise RenderError(f"cannot write {path}: {reason(exc)}") from exc


# --- hashes and names ----------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read 1 MiB at a time. OSError is the caller's to handle."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def slugify(text: str, fallback: str) -> str:
    """A short, safe folder name: ASCII letters, digits and hyphens, at most 60 characters,
    never empty, never ``..`` or a reserved device name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:MAX_SLUG]
    if not slug or slug in _RESERVED:
        slug = f"episode-{fallback[:8]}"
    return slug


# --- one writer per folder -----------------------------------------------------------------


@contextlib.contextmanager
def folder_lock(root: Path, wait: float = WAIT_SECONDS, name: str = LOCK_NAME) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``root/.newsvoice/<name>`` for the block; wait up to
    ``wait`` seconds for another holder (publishers take "lock"; a batch run holds
    "batch.lock" from start to end). The kernel drops the lock when its holder exits, however
    it exits (SIGKILL included), so a crashed run never leaves the folder locked."""
    state = root / STATE_DIR
    try:
        state.mkdir(parents=True, exist_ok=True)
        fd = os.open(state / name, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise SiteError(f"cannot lock {root}: {reason(exc)}") from exc
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
                        f"another newsvoice is {doing} {root}", hint="wait for it to finish"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# --- the build's clock and tools -----------------------------------------------------------


def source_date() -> datetime | None:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) as a UTC time, if it is set to a number."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else None


def ffmpeg_path() -> str | None:
    """ffmpeg on PATH, else the static one inside the imageio-ffmpeg wheel, else None."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except Exception:  # noqa: BLE001 - ImportError, or RuntimeError/OSError: no binary for here
        return None
