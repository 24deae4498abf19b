"""Third-party engines: a plugin written against the first plugin API (the bare Engine
protocol, registered in the old entry-point group ``newsvoice.engines``) still narrates, and a
plugin that cannot be imported is a warning naming its package, not a crash.

Each plugin (``tests/data/plugins/``) is packed into a real wheel and installed by pip into a
temporary directory, which the CLI runs see on PYTHONPATH."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import run_newsvoice

PLUGINS = Path(__file__).parent.parent / "data" / "plugins"
ARTICLE = "Council backs the ferry plan\n\nThe vote was seven to two. Work starts in May.\n"


def _wheel(folder: Path, dist: str, module: str, group: str, entry: str) -> Path:
    """A pure-Python wheel holding ``module`` with one entry point."""
    info = f"{dist.replace('-', '_')}-0.1.dist-info"
    files = {
        f"{module}.py": (PLUGINS / f"{module}.py").read_bytes(),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: newsvoice-tests\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": f"[{group}]\n{entry}\n".encode(),
    }
    record = [
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for name, data in files.items()
    ]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    path = folder / f"{dist.replace('-', '_')}-0.1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def site_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two plugins installed with pip (offline, no dependencies) into one directory."""
    root = tmp_path_factory.mktemp("plugins")
    wheels = [
        _wheel(
            root,
            "newsvoice-toneplug",
            "newsvoice_toneplug",
            "newsvoice.engines",
            "toneplug = newsvoice_toneplug:ToneEngine",
        ),
        _wheel(
            root,
            "newsvoice-brokenplug",
            "newsvoice_brokenplug",
            "newsvoice.engines.v1",
            "brokenplug = newsvoice_brokenplug:Engine",
        ),
    ]
    target = root / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            "--target",
            str(target),
            *map(str, wheels),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (target / "newsvoice_toneplug-0.1.dist-info" / "entry_points.txt").is_file()
    return target


@pytest.fixture
def with_plugins(site_packages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [str(site_packages), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))


@pytest.mark.usefixtures("with_plugins")
def test_a_plugin_on_the_old_group_narrates(tmp_path: Path) -> None:
    source = tmp_path / "ferry.txt"
    source.write_text(ARTICLE, "utf-8")
    preset = tmp_path / "beep.toml"
    preset.write_text('engine = "toneplug"\nvoice = "beep"\nlanguage = "auto"\n', "utf-8")
    target = tmp_path / "ferry.mp3"
    done = run_newsvoice(
        "audio",
        source,
        "-o",
        target,
        "--voice",
        preset,
        "--no-cache",
        "--json",
        "--transcript",
        "vtt",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["voices"] == ["toneplug/beep"]
    assert result["engine_calls"] == result["sentences"] >= 3
    # 30 ms per character of the spoken text, plus the pauses: a real MP3 of that length
    assert 2_000 < result["duration_ms"] < 15_000
    assert target.read_bytes()[:3] == b"ID3"
    assert "Council backs the ferry plan" in (tmp_path / "ferry.vtt").read_text("utf-8")


@pytest.mark.usefixtures("with_plugins")
def test_a_broken_plugin_is_a_warning_naming_its_package() -> None:
    done = run_newsvoice("voices", "--json")
    assert done.returncode == 0, done.stderr
    assert {p["name"] for p in json.loads(done.stdout)} >= {"heart", "espeak"}
    (warning,) = [line for line in done.stderr.splitlines() if "brokenplug" in line]
    assert warning.startswith("warning: engine 'brokenplug' from newsvoice-brokenplug 0.1 ")
    assert "No module named 'a_dependency_that_is_not_installed'" in warning
    assert "Traceback" not in done.stderr


@pytest.mark.usefixtures("with_plugins")
def test_asking_for_a_broken_plugin_is_an_engine_error(tmp_path: Path) -> None:
    source = tmp_path / "ferry.txt"
    source.write_text(ARTICLE, "utf-8")
    done = run_newsvoice("audio", source, "-o", tmp_path / "x.mp3", "--engine", "brokenplug")
    assert done.returncode == 5, done.stderr
    assert done.stderr.startswith("error: engine 'brokenplug' from newsvoice-brokenplug 0.1 ")
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "x.mp3").exists()
