"""A podcast site in an object store: ``publish --site s3://bucket/prefix/``.

A run works on a local mirror of the site, in a temporary folder: the settings, the feed, the
pages and the episode records are downloaded; an episode's media (MP3, EPUB, transcript,
chapters, art, ...) are not, each being stood in for by an empty file of the same name. Those
names carry the file's content hash, and publishing reads only the records, the feed and the
pages, so the ordinary publisher runs on the mirror unchanged. Then what changed is uploaded,
in the order that keeps what a listener or a podcast app reads valid at every moment:

1. new and changed episode files (their names are new, so none replaces a file the live feed
   names), then the records, the episode pages and the assets;
2. ``feed.xml``;
3. the index pages;
4. last, the deletions: the files this run took out (older versions of corrected episodes).

Each object lands whole (one put; s3fs sends a large file as a multipart upload, which the
store shows only once it is complete). So a run killed at any moment leaves either the old
feed, every enclosure it names still there, or the new one with all of its enclosures.

The lock is a lock file on this machine (see ``storage.Store``): two publishers on one machine
take turns; object stores have no lock that spans machines, so publish a site from one machine
at a time.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import NewsvoiceError, SiteError, reason
from ..io import STATE_DIR, WAIT_SECONDS
from ..storage import Store
from .episode import RECORD_NAME
from .feed import FEED_NAME
from .listening import EMBED_NAME, OEMBED_NAME
from .publish import PAGE_NAME
from .serve import TYPES

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

LOCK_NAME = "site.lock"
UPLOADS = 8  # objects in flight at once
_READ_IN_EPISODE = {RECORD_NAME, PAGE_NAME, EMBED_NAME, OEMBED_NAME}
_INDEX_PAGE = re.compile(r"^index(-\d+)?\.html$")


@dataclass(frozen=True, slots=True)
class _Pulled:
    listing: dict[str, int]  # every object of the site: name → size
    digests: dict[str, str]  # the downloaded ones: name → sha256
    stand_ins: frozenset[str]  # media not downloaded: empty files in the mirror


def _media(name: str) -> bool:
    """An episode's file that publishing never reads."""
    parts = name.split("/")
    return len(parts) == 3 and parts[0] == "episodes" and parts[2] not in _READ_IN_EPISODE


def _ours(name: str) -> bool:
    """A name newsvoice could have written: relative, no ``..``, not its state folder."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and ".." not in path.parts
        and path.parts[0] != STATE_DIR
    )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pull(store: Store, mirror: Path, *, media: bool) -> _Pulled:
    listing = {name: size for name, size in store.files().items() if _ours(name)}
    wanted = [name for name in listing if media or not _media(name)]
    data = store.read_many(wanted)
    stand_ins = frozenset(listing.keys() - data.keys())
    try:
        for name in listing:
            path = mirror / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.get(name, b""))
    except OSError as exc:
        raise SiteError(f"cannot copy {store} to {mirror}: {reason(exc)}") from exc
    return _Pulled(listing, {name: _digest(body) for name, body in data.items()}, stand_ins)


def _content_type(name: str) -> str | None:
    if name.endswith(".chapters.json"):
        return "application/json+chapters"
    return TYPES.get(PurePosixPath(name).suffix.lower())


def _changed(mirror: Path, pulled: _Pulled) -> tuple[list[str], list[str]]:
    """(names to upload, names to delete) after a run on the mirror."""
    local = {
        path.relative_to(mirror).as_posix(): path
        for path in mirror.rglob("*")
        if path.is_file() and _ours(path.relative_to(mirror).as_posix())
    }
    uploads = []
    for name, path in local.items():
        if name in pulled.stand_ins and path.stat().st_size == 0:
            continue  # still the stand-in: the object is unchanged
        known = pulled.digests.get(name)
        if known is None or known != _digest(path.read_bytes()):
            uploads.append(name)
    return uploads, sorted(name for name in pulled.listing if name not in local)


def _upload(store: Store, mirror: Path, names: Sequence[str]) -> None:
    def one(name: str) -> None:
        store.put_typed(name, mirror / name, _content_type(name))

    with ThreadPoolExecutor(UPLOADS) as pool:
        list(pool.map(one, names))


def _push(store: Store, mirror: Path, pulled: _Pulled) -> None:
    uploads, deletions = _changed(mirror, pulled)
    last = [FEED_NAME, *sorted(name for name in uploads if _INDEX_PAGE.match(name))]
    first = sorted(name for name in uploads if name not in last)
    # the media before what names them: each group is complete before the next one starts
    _upload(store, mirror, [name for name in first if _media(name)])
    _upload(store, mirror, [name for name in first if not _media(name)])
    for name in last:
        if name in uploads:
            _upload(store, mirror, [name])
    if deletions:
        store.delete(deletions)


def _in_terms_of(exc: NewsvoiceError, mirror: Path, url: str) -> None:
    """Say the site's URL where a message names the mirror."""
    here, there = str(mirror), url.rstrip("/")
    exc.message = exc.message.replace(here, there)
    if exc.hint:
        exc.hint = exc.hint.replace(here, there)
    exc.args = (exc.message,)


@contextmanager
def remote_site(url: str, *, media: bool = False, write: bool = True) -> Iterator[Path]:
    """The site at ``url`` as a local folder for the block, under the site's lock; what the
    block changed is uploaded when it ends without an error (``write``). ``media``: download
    the episodes' files too (to check them)."""
    store = Store(url)
    with (
        store.lock(LOCK_NAME, WAIT_SECONDS),
        tempfile.TemporaryDirectory(prefix="newsvoice-site-") as scratch,
    ):
        mirror = Path(scratch)
        pulled = _pull(store, mirror, media=media)
        try:
            yield mirror
        except NewsvoiceError as exc:
            _in_terms_of(exc, mirror, url)
            raise
        if write:
            _push(store, mirror, pulled)
