"""The README documents every command, option and make target (sqlite-utils' test_docs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from newsvoice.cli import app

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text("utf-8")
COMMAND = typer.main.get_command(app)


def _commands() -> list[tuple[str, typer.main.click.Command]]:
    """Every command, subcommands of groups (``feed init``) included."""
    found = []
    for name, sub in COMMAND.commands.items():  # type: ignore[attr-defined]
        children = getattr(sub, "commands", None)
        if children:
            found += [(f"{name} {child}", command) for child, command in children.items()]
        else:
            found.append((name, sub))
    return found


def _options() -> list[tuple[str, str]]:
    found = [("", opt) for p in COMMAND.params for opt in p.opts if opt.startswith("--")]
    for name, sub in _commands():
        found += [(name, opt) for p in sub.params for opt in p.opts if opt.startswith("--")]
    return found


@pytest.mark.parametrize("name", sorted(name for name, _ in _commands()))
def test_every_command_is_documented(name: str) -> None:
    assert f"### `newsvoice {name}" in README


@pytest.mark.parametrize(("command", "option"), _options())
def test_every_option_is_documented(command: str, option: str) -> None:
    if option == "--help":
        assert "`--help`" in README
        return
    assert f"`{option}" in README, f"{command} {option} is not in README.md"


def test_every_make_target_is_documented() -> None:
    makefile = (REPO / "Makefile").read_text("utf-8")
    targets = re.findall(r"^([a-z-]+):.*## ", makefile, flags=re.MULTILINE)
    assert {"demo", "test"} <= set(targets)
    for target in targets:
        assert f"make {target}" in README, target
