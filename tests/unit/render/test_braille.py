"""render/braille.py: liblouis translation, the braille page layout, BRF and PEF, and the
back-translation check (liblouis itself runs: it is fast and offline)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from newsvoice.errors import ConfigError, RenderError
from newsvoice.render.braille import (
    BLANK,
    BRF,
    BrailleOptions,
    agreement,
    brf,
    describe,
    louis,
    number,
    render_braille,
    table_for,
    to_brf,
    translate,
    wrap,
)
from tests.helpers import need
from tests.unit.render.test_audio import small_article

TABLES = Path("/usr/share/liblouis/tables")
PEF = "{http://www.daisy.org/ns/2008/pef}"


@pytest.fixture(autouse=True)
def _liblouis() -> None:
    need("lou_translate (liblouis-bin)", shutil.which("lou_translate"))


def test_brf_is_north_american_ascii_braille() -> None:
    """The dot → ASCII map is the one liblouis's own en-us-brf.dis display table gives."""
    shown = {}
    for line in (TABLES / "en-us-brf.dis").read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "display":
            char = {"\\s": " ", "\\\\": "\\"}.get(parts[1], parts[1])
            dots = 0 if parts[2] == "0" else sum(1 << (int(d) - 1) for d in parts[2])
            shown.setdefault(dots, char.upper())
    assert len(BRF) == 64
    six = {dots: char for dots, char in shown.items() if dots < 64}
    assert {dots: BRF[dots] for dots in six} == six
    assert to_brf("⠠⠮⠀⠼⠁") == ",! #A"


def test_ueb_grade_2_contracts_and_back_translates() -> None:
    (cells,) = louis(["The people said that"], "en-ueb-g2.ctb")
    assert to_brf(cells) == ",! P SD T"
    assert louis([cells], "en-ueb-g2.ctb", backward=True) == ["The people said that"]


@given(st.lists(st.text("⠁⠃⠉⠙⠑", min_size=1, max_size=60), min_size=1, max_size=40),
       st.integers(10, 45), st.integers(0, 4), st.integers(0, 4))  # fmt: skip
def test_wrap_keeps_every_cell_within_the_line(
    words: list[str], width: int, first: int, runover: int
) -> None:
    lines = wrap(BLANK.join(words), width, first, runover)
    assert all(len(line) <= width for line in lines)
    assert lines[0].startswith(BLANK * first)
    joined = BLANK.join(line.strip(BLANK) for line in lines).replace("⠤" + BLANK, "")
    assert joined.split(BLANK) == [w for w in BLANK.join(words).split(BLANK) if w] or any(
        len(w) > width - max(first, runover) - 1 for w in words
    )


def test_pages_have_the_size_asked_for_and_numbers(tmp_path: Path) -> None:
    options = BrailleOptions(cells=20, lines=8)
    result = render_braille([small_article()], tmp_path / "a.brf", options)
    assert len(result.pages) > 1
    for page_number, page in enumerate(result.pages, start=1):
        assert len(page) == 8
        assert all(len(line) <= 20 for line in page)
        assert page[-1].strip(BLANK) == number(page_number)
    data = (tmp_path / "a.brf").read_bytes()
    assert data.count(b"\f") == len(result.pages)
    assert data.decode("ascii").split("\r\n\f")[0].split("\r\n")[-1].strip() == "#A"
    assert result.agreement >= 0.95


def test_back_translation_notices_a_wrong_page() -> None:
    text = "Council tax bills go out in March for the new year."
    (cells,) = louis([text], "en-ueb-g2.ctb")
    page = (cells, number(1))
    assert agreement([page], [text], "en-ueb-g2.ctb") == 1.0
    damaged = (cells.replace("⠞⠁⠭", "⠃⠑⠑"), number(1))  # "tax" becomes "bee"
    assert agreement([damaged], [text], "en-ueb-g2.ctb") < 1.0
    assert agreement([("", number(1))], [text], "en-ueb-g2.ctb") == 0.0


def test_pef_declares_its_dimensions(tmp_path: Path) -> None:
    out = tmp_path / "a.pef"
    result = render_braille([small_article()], out, BrailleOptions(pef=True))
    root = etree.parse(str(out)).getroot()
    assert root.tag == f"{PEF}pef"
    assert root.get("version") == "2008-1"
    (volume,) = root.iter(f"{PEF}volume")
    assert (volume.get("cols"), volume.get("rows")) == ("40", "25")
    rows = [len(r.text or "") for r in root.iter(f"{PEF}row")]
    assert max(rows) <= 40
    assert len(list(root.iter(f"{PEF}page"))) == len(result.pages)
    formats = [e.text for e in root.iter("{http://purl.org/dc/elements/1.1/}format")]
    assert formats == ["application/x-pef+xml"]


def test_tables_by_language_and_a_missing_one() -> None:
    assert table_for("en-GB") == "en-ueb-g2.ctb"
    assert table_for("fr") == "fr-bfu-g2.ctb"
    assert table_for("fr", "en-ueb-g1.ctb") == "en-ueb-g1.ctb"
    with pytest.raises(ConfigError, match="no braille table for language 'xx'"):
        table_for("xx")
    with pytest.raises(ConfigError, match=r"liblouis cannot use the table 'no-such\.ctb'"):
        louis(["text"], "no-such.ctb")


def test_without_liblouis_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "a.brf"
    out.write_bytes(b"old")
    with pytest.raises(RenderError, match="apt-get install liblouis-bin"):
        render_braille([small_article()], out)
    assert out.read_bytes() == b"old"  # nothing half-written


def test_brf_bytes_are_ascii_with_crlf_and_form_feeds() -> None:
    assert brf([("⠁", "⠃"), ("⠉",)]) == b"A\r\nB\r\n\fC\r\n\f"


def test_characters_the_table_lacks_are_described_not_escaped() -> None:
    # liblouis writes an undefined character as an escape in 8-dot cells ('\\x1f30a'), which
    # BRF cannot hold and no reader could read: it is said in words, or dropped if it is a mark
    texts, cells = translate(
        ["Storm 🌊 warning", "Caf\u0065\u0301 \u200fopen", "© 2024"], "en-ueb-g2.ctb"
    )
    assert texts[0] == "Storm water wave warning"
    assert texts[1] == "Café open"  # composed, and the direction mark gone
    assert texts[2] == "© 2024"  # UEB has a sign for it: kept
    assert all(0x2800 <= ord(c) < 0x2840 for line in cells for c in line)
    assert louis([cells[0]], "en-ueb-g2.ctb", backward=True) == ["Storm water wave warning"]
    assert describe("\U0001d400") == "A"  # a compatibility letter: its plain form
    assert describe("\u200d") == ""
    with pytest.raises(RenderError):
        to_brf("\u2873")  # an 8-dot cell is never written as a wrong 6-dot one
