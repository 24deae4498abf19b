"""cluster.py without a cluster: what a task carries (the source's bytes, the user's files'
text, whether the old outputs are there) and how its files land (whole, checked)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from newsvoice.batch import BatchOptions, ItemResult, Task
from newsvoice.cluster import Landed, Shipment, land, ship
from newsvoice.storage import Folder

if TYPE_CHECKING:
    from pathlib import Path


def test_a_task_carries_its_sources_bytes_and_the_users_files(tmp_path: Path) -> None:
    source = tmp_path / "a.html"
    source.write_bytes(b"<html><body><p>Text.</p></body></html>")
    rules = tmp_path / "mine.toml"
    rules.write_text('[boilerplate]\nclasses = ["promo-box"]\n', "utf-8")
    preset = tmp_path / "slow.toml"
    preset.write_text('engine = "espeak"\nspeed = 0.8\n', "utf-8")
    options = BatchOptions(out=tmp_path / "out", rules=(rules,), voice=str(preset))
    shipped = ship(Task(str(source), options), Folder(tmp_path / "out"))
    assert isinstance(shipped, Shipment)
    assert shipped.task.payload is not None
    assert shipped.task.payload.content == source.read_bytes()
    assert shipped.rules == (("mine.toml", rules.read_text("utf-8")),)
    assert shipped.preset == ("slow.toml", preset.read_text("utf-8"))
    assert shipped.task.fingerprint == options.fingerprint()
    assert shipped.to_client


def test_a_url_is_left_for_the_worker_to_fetch(tmp_path: Path) -> None:
    shipped = ship(Task("https://example.org/a", BatchOptions(out=tmp_path)), Folder(tmp_path))
    assert isinstance(shipped, Shipment)
    assert shipped.task.payload is None


def test_an_unreadable_source_fails_here_not_on_a_worker(tmp_path: Path) -> None:
    shipped = ship(
        Task(str(tmp_path / "missing.html"), BatchOptions(out=tmp_path)), Folder(tmp_path)
    )
    assert isinstance(shipped, ItemResult)
    assert shipped.status == "failed"
    assert "cannot read" in shipped.error


def test_files_land_whole_and_a_damaged_one_fails_the_article(tmp_path: Path) -> None:
    good = b"an episode"
    result = ItemResult("a", "done", outputs={"x/a.mp3": hashlib.sha256(good).hexdigest()})
    assert land(Landed(result, {"x/a.mp3": good}), Folder(tmp_path)).status == "done"
    assert (tmp_path / "x/a.mp3").read_bytes() == good
    bad = ItemResult("b", "done", outputs={"y/b.mp3": hashlib.sha256(good).hexdigest()})
    landed = land(Landed(bad, {"y/b.mp3": b"an episo"}), Folder(tmp_path))
    assert landed.status == "failed"
    assert "damaged" in landed.error
    assert not (tmp_path / "y/b.mp3").exists()
