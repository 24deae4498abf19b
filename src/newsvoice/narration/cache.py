"""A content-addressed cache of synthesised sentences.

Key: sha256 of the engine, its version, the voice settings, the lexicon's digest and the
spoken text (plus this cache's schema). Value: a 16-bit mono WAV named by the key, written
atomically: in a folder, or in an object store named by an fsspec URL (``s3://…``, one whole
object per entry), which the workers of a cluster can share. An entry that cannot be read is
a miss and is written again; concurrent runs are safe because they write identical bytes to
the same name. A cache that cannot be written
(a full disk, no permission) does not stop a narration: it is said once, as a warning.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import sys
import wave
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..engines import AudioChunk
from ..errors import RenderError, SiteError, reason
from ..io import atomic_writer
from ..storage import Store, is_store_url

if TYPE_CHECKING:
    from ..engines import VoiceSpec

SCHEMA = 1
log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """NEWSVOICE_CACHE, else the user's cache directory (XDG, macOS or Windows)."""
    override = os.environ.get("NEWSVOICE_CACHE")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "newsvoice" / "tts"


def segment_key(engine: str, version: str, voice: VoiceSpec, lexicon_digest: str, text: str) -> str:
    payload = {
        "schema": SCHEMA,
        "engine": engine,
        "version": version,
        "voice": voice.voice,
        "speed": round(voice.speed, 4),
        "language": voice.language,
        "lexicon": lexicon_digest,
        "text": text,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class SegmentCache:
    """Read and write cached sentences; ``root=None`` disables the cache. ``root`` is a folder
    or an fsspec URL."""

    def __init__(self, root: Path | str | None) -> None:
        self.store = Store(str(root)) if root is not None and is_store_url(root) else None
        self.root = Path(root) if root is not None and self.store is None else None
        self.where = str(root) if root is not None else ""
        self.hits = 0
        self.misses = 0
        self.unwritable = False  # a write failed (and was said)

    @staticmethod
    def _name(key: str) -> str:
        return f"{key[:2]}/{key}.wav"

    @property
    def enabled(self) -> bool:
        return self.root is not None or self.store is not None

    def has(self, key: str) -> bool:
        """Whether an entry is stored (``get`` may still find it unreadable)."""
        if self.store is not None:
            try:
                return bool(self.store.fs.exists(f"{self.store.path}/{self._name(key)}"))
            except Exception:  # noqa: BLE001 - the store's own errors: not there, as far as we know
                return False
        return self.root is not None and (self.root / self._name(key)).is_file()

    def get(self, key: str) -> AudioChunk | None:
        if not self.enabled:
            return None
        try:
            if self.store is not None:
                data = self.store.read(self._name(key))
                if data is None:
                    raise FileNotFoundError(key)
                source: str | io.BytesIO = io.BytesIO(data)
            else:
                source = str(Path(self.where) / self._name(key))
            with wave.open(source, "rb") as wav:
                if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                    raise wave.Error("not 16-bit mono")
                frames = wav.getnframes()
                pcm = wav.readframes(frames)
                rate = wav.getframerate()
            if frames == 0 or len(pcm) != frames * 2:
                raise wave.Error("truncated")
            if not 4000 <= rate <= 192_000:
                raise wave.Error("implausible sample rate")
        except (OSError, EOFError, wave.Error, SiteError):
            self.misses += 1
            return None
        self.hits += 1
        return AudioChunk(pcm=pcm, sample_rate=rate)

    def put(self, key: str, chunk: AudioChunk) -> None:
        """Store a chunk. A failure does not stop the caller (the cache is an optimisation);
        the first one is logged as a warning, so that it is not silent either."""
        if not self.enabled or not chunk.pcm:
            return
        try:
            if self.store is not None:
                buffer = io.BytesIO()
                _write_wav(buffer, chunk)
                self.store.write(self._name(key), buffer.getvalue())
                return
            path = Path(self.where) / self._name(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_writer(path, durable=False) as out:
                _write_wav(out, chunk)
        except (OSError, RenderError, SiteError) as exc:
            if not self.unwritable:
                self.unwritable = True
                log.warning(
                    "sentences are not being cached in %s (%s): a rerun will speak them again",
                    self.where,
                    reason(exc) if isinstance(exc, OSError) else exc,
                )


def _write_wav(out: IO[bytes], chunk: AudioChunk) -> None:
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(chunk.sample_rate)
        wav.writeframes(chunk.pcm)
