"""Where outputs go: a folder on this machine, or an object store named by an fsspec URL
(``s3://bucket/prefix/``, ``gs://…``; ``file://`` is a folder).

Either way a file lands whole or not at all. In a folder: a temp file beside the target, then a
rename. In an object store: one upload per object (s3fs sends a large file as a multipart
upload, which the store shows only once it is complete). Object stores are reached through
fsspec and its backends (``pip install 'newsvoice[cloud]'`` brings s3fs); credentials and the
endpoint come from the backend's usual settings (for S3: ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL`` for R2 or MinIO, or ``~/.aws``).
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, SiteError, reason
from .io import folder_lock, sha256_file, write_atomic

if TYPE_CHECKING:
    import contextlib
    from collections.abc import Sequence

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def is_store_url(target: str | Path) -> bool:
    """An fsspec URL other than ``file://`` (a folder)."""
    text = str(target)
    return bool(_URL.match(text)) and not text.lower().startswith("file://")


class Destination(ABC):
    """A tree of files addressed by relative, "/"-separated names."""

    @abstractmethod
    def __str__(self) -> str: ...

    @abstractmethod
    def read(self, name: str) -> bytes | None:
        """The file's bytes; None when there is none."""

    @abstractmethod
    def write(self, name: str, data: bytes) -> None:
        """Store ``data`` as ``name``, whole or not at all."""

    @abstractmethod
    def put(self, name: str, local: Path) -> None:
        """Store the finished local file ``local`` as ``name``, whole or not at all."""

    @abstractmethod
    def sha256(self, name: str) -> str | None:
        """The stored file's sha256; None when there is none."""

    @abstractmethod
    def lock(self, name: str, wait: float) -> contextlib.AbstractContextManager[None]:
        """Hold the destination's lock ``name`` for the block (see ``io.folder_lock``)."""

    @property
    def folder(self) -> Path | None:
        """The local folder, when the destination is one."""
        return None


class Folder(Destination):
    def __init__(self, root: Path) -> None:
        self.root = root

    def __str__(self) -> str:
        return str(self.root)

    @property
    def folder(self) -> Path:
        return self.root

    def read(self, name: str) -> bytes | None:
        try:
            return (self.root / name).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SiteError(f"cannot read {self.root / name}: {reason(exc)}") from exc

    def write(self, name: str, data: bytes) -> None:
        path = self.root / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SiteError(f"cannot write in {self.root}: {reason(exc)}") from exc
        write_atomic(path, data)

    def put(self, name: str, local: Path) -> None:
        self.write(name, local.read_bytes())

    def sha256(self, name: str) -> str | None:
        try:
            return sha256_file(self.root / name)
        except OSError:
            return None

    def lock(self, name: str, wait: float) -> contextlib.AbstractContextManager[None]:
        return folder_lock(self.root, wait=wait, name=name)


class Store(Destination):
    """An object store through fsspec. Its lock is a lock file on this machine, named by the
    URL: it keeps two runs on one machine apart, not runs on different machines."""

    def __init__(self, url: str) -> None:
        try:
            from fsspec.core import url_to_fs
        except ImportError as exc:
            raise ConfigError(f"{url} needs fsspec", hint="pip install 'newsvoice[cloud]'") from exc
        try:
            fs, path = url_to_fs(url)
        except (ImportError, ValueError) as exc:  # no backend for the scheme
            raise ConfigError(
                f"cannot use {url}: {_why(exc)}",
                hint="install fsspec's backend for it (s3fs, for s3://, comes with"
                " 'newsvoice[cloud]')",
            ) from exc
        self.url = url
        self.fs: Any = fs
        self.path = str(path).rstrip("/")

    def __str__(self) -> str:
        return self.url

    def _key(self, name: str) -> str:
        return f"{self.path}/{name}"

    def _url(self, name: str) -> str:
        return f"{self.url.rstrip('/')}/{name}"

    def read(self, name: str) -> bytes | None:
        try:
            return bytes(self.fs.cat_file(self._key(name)))
        except FileNotFoundError:
            return None
        except Exception as exc:
            raise SiteError(f"cannot read {self._url(name)}: {_why(exc)}") from exc

    def write(self, name: str, data: bytes) -> None:
        try:
            self.fs.pipe_file(self._key(name), data)
        except Exception as exc:
            raise SiteError(f"cannot write {self._url(name)}: {_why(exc)}") from exc

    def put(self, name: str, local: Path) -> None:
        try:
            self.fs.put_file(str(local), self._key(name))
        except Exception as exc:
            raise SiteError(f"cannot write {self._url(name)}: {_why(exc)}") from exc

    def sha256(self, name: str) -> str | None:
        data = self.read(name)
        return hashlib.sha256(data).hexdigest() if data is not None else None

    def files(self) -> dict[str, int]:
        """Every object under the prefix: relative name → size in bytes."""
        try:
            found = self.fs.find(self.path, detail=True)
        except FileNotFoundError:
            return {}
        except Exception as exc:
            raise SiteError(f"cannot list {self.url}: {_why(exc)}") from exc
        start = len(self.path) + 1
        return {
            str(key)[start:]: int(info.get("size") or 0)
            for key, info in found.items()
            if info.get("type") != "directory" and str(key).startswith(self.path + "/")
        }

    def read_many(self, names: Sequence[str]) -> dict[str, bytes]:
        """The bytes of each named object, fetched concurrently."""
        if not names:
            return {}
        keys = [self._key(name) for name in names]
        try:
            found = self.fs.cat(keys, on_error="raise")
        except Exception as exc:
            raise SiteError(f"cannot read {self.url}: {_why(exc)}") from exc
        if not isinstance(found, dict):  # one key: fsspec returns the bytes alone
            found = {keys[0]: found}
        return {name: bytes(found[key]) for name, key in zip(names, keys, strict=True)}

    def put_typed(self, name: str, local: Path, content_type: str | None) -> None:
        """``put``, telling the store the object's media type (served as Content-Type)."""
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        s3 = content_type is not None and bool({"s3", "s3a"} & set(protocols))
        try:  # s3fs sends ContentType on; other backends guess it from the name
            self.fs.put_file(
                str(local), self._key(name), **({"ContentType": content_type} if s3 else {})
            )
        except Exception as exc:
            raise SiteError(f"cannot write {self._url(name)}: {_why(exc)}") from exc

    def delete(self, names: Sequence[str]) -> None:
        if not names:
            return
        try:
            self.fs.rm([self._key(name) for name in names])
        except FileNotFoundError:
            pass
        except Exception as exc:
            raise SiteError(f"cannot delete in {self.url}: {_why(exc)}") from exc

    def lock(self, name: str, wait: float) -> contextlib.AbstractContextManager[None]:
        from .narration.cache import default_cache_dir

        digest = hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:16]
        return folder_lock(default_cache_dir().parent / "locks" / digest, wait=wait, name=name)


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def destination(target: str | Path) -> Destination:
    """The destination ``target`` names: an fsspec URL, or a folder."""
    text = str(target)
    if is_store_url(text):
        return Store(text)
    if text.lower().startswith("file://"):
        return Folder(Path(text[len("file://") :]))
    return Folder(Path(target))
