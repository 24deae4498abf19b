"""render/timing.py: the timing table and the WebVTT, chapters JSON and ffmetadata made from it."""

from __future__ import annotations

import html
import itertools
import json
import re
from dataclasses import dataclass

import pytest

from newsvoice.narration.timing import (
    TimedChapter,
    TimedSegment,
    TimingTable,
    chapters_json,
    ffmetadata,
    webvtt,
)

LONG = (
    "Harbourton Council has approved a budget that closes a £4.2m funding gap through a mix of "
    "savings, higher parking charges and the biggest council tax rise it can make without "
    "calling a referendum, after more than three hours of debate at the Guildhall on Tuesday "
    "evening, when councillors voted by 24 to 17, with two abstentions, to back the plan."
)
URL_WORD = "https://www.example.com/" + "a-very-long-path-segment-" * 4 + "end"
TEXTS = [
    "Are the US and China ready to cooperate more on N. Korea?",
    "Profits & losses: <b>not</b> a tag, and 3 > 2 & 1 < 2.",
    "By Nathan Corbett, Staff writer.",
    LONG,
    "Short.",
    f"See {URL_WORD} for the details & the figures.",
    "Fish & chips & peas & gravy & mushy peas & curry sauce & vinegar & salt & ketchup & more.",
    "The last sentence of the body — with a dash, “quotes” and an ellipsis…",
]
CHAPTERS = ["Headline", "Standfirst; a = b # c \\ d", "Body"]
SEGMENT_CHAPTERS = [0, 1, 1, 2, 2, 2, 2, 2]


def make_table(start: int = 300, hours: int = 0) -> TimingTable:
    """Segments with gaps between them (pauses), times in ms, chapters contiguous."""
    segments = []
    position = start + hours * 3_600_000
    for index, (text, chapter) in enumerate(zip(TEXTS, SEGMENT_CHAPTERS, strict=True)):
        length = 40 * len(text) + 7 * index
        segments.append(TimedSegment(index, chapter, position, position + length, text))
        position += length + 300 + 100 * index
    duration = position + 800
    starts = [0] + [min(s.start_ms for s in segments if s.chapter == number) for number in (1, 2)]
    ends = [*starts[1:], duration]
    chapters = tuple(
        TimedChapter(title, s, e) for title, s, e in zip(CHAPTERS, starts, ends, strict=True)
    )
    return TimingTable(tuple(segments), chapters, duration)


# --- WebVTT ----------------------------------------------------------------------------------

TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")


@dataclass
class Cue:
    start: int
    end: int
    lines: list[str]


def to_ms(h: str, m: str, s: str, ms: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def parse_vtt(text: str) -> list[Cue]:
    """Cues of a WebVTT file (blocks separated by blank lines; NOTE blocks skipped)."""
    assert text.startswith("WEBVTT")
    cues = []
    for block in text.split("\n\n")[1:]:
        lines = [line for line in block.split("\n") if line != ""]
        if not lines or lines[0].startswith("NOTE"):
            assert all("-->" not in line for line in lines[1:])
            continue
        timing_at = 1 if not TIMING.match(lines[0]) else 0
        match = TIMING.match(lines[timing_at])
        assert match, block
        assert all("-->" not in line for line in lines[timing_at + 1 :])
        cues.append(
            Cue(to_ms(*match.groups()[:4]), to_ms(*match.groups()[4:]), lines[timing_at + 1 :])
        )
    return cues


def _letters(text: str) -> str:
    """Text without white space: a word too long for a line is cut without a space."""
    return "".join(html.unescape(text).split())


def cues_by_segment(table: TimingTable, cues: list[Cue]) -> list[list[Cue]]:
    """The cues of each segment, in order: consecutive cues whose text makes the sentence."""
    out = []
    remaining = list(cues)
    for segment in table.segments:
        wanted = _letters(segment.text)
        taken: list[Cue] = []
        while "".join(_letters("".join(c.lines)) for c in taken) != wanted:
            assert remaining, f"no cues left for {segment.text!r}"
            taken.append(remaining.pop(0))
            assert wanted.startswith("".join(_letters("".join(c.lines)) for c in taken))
        out.append(taken)
    assert not remaining
    return out


def test_webvtt_starts_with_the_signature_and_has_well_formed_cue_times() -> None:
    text = webvtt(make_table())
    assert text.startswith("WEBVTT\n")
    timings = [line for line in text.splitlines() if "-->" in line and not line.startswith("NOTE")]
    assert timings
    assert all(TIMING.match(line) for line in timings)


@pytest.mark.parametrize("hours", [0, 1, 12])
def test_webvtt_cue_times_increase_and_stay_within_the_table(hours: int) -> None:
    table = make_table(hours=hours)
    cues = parse_vtt(webvtt(table))
    assert len(cues) >= len(table.segments)
    previous_end = 0
    for cue in cues:
        assert cue.start < cue.end
        assert cue.start >= previous_end
        assert cue.start >= 0
        assert cue.end <= table.duration_ms
        previous_end = cue.end
    if hours:
        assert cues[-1].end >= hours * 3_600_000


def test_webvtt_lines_are_short_and_cues_have_at_most_two_lines() -> None:
    table = make_table()
    cues = parse_vtt(webvtt(table))
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2
        for line in cue.lines:
            assert len(html.unescape(line)) <= 65, line
            assert line == line.strip()
    # the long sentence needs more than one cue
    grouped = cues_by_segment(table, cues)
    assert len(grouped[TEXTS.index(LONG)]) >= 2


def test_webvtt_escapes_ampersands_and_angle_brackets() -> None:
    text = webvtt(make_table())
    payload = [line for cue in parse_vtt(text) for line in cue.lines]
    joined = "\n".join(payload)
    assert "<" not in joined
    assert ">" not in joined
    assert re.search(r"&(?!amp;|lt;|gt;)", joined) is None
    assert "Profits &amp; losses: &lt;b&gt;not&lt;/b&gt; a tag, and 3 &gt; 2 &amp; 1 &lt; 2." in (
        joined.replace("\n", " ")
    )


def test_webvtt_cues_of_a_sentence_cover_exactly_its_start_to_end() -> None:
    table = make_table()
    grouped = cues_by_segment(table, parse_vtt(webvtt(table)))
    for segment, cues in zip(table.segments, grouped, strict=True):
        assert cues[0].start == segment.start_ms
        assert cues[-1].end == segment.end_ms
        for before, after in itertools.pairwise(cues):
            assert before.end == after.start


def test_webvtt_has_every_sentence_in_order() -> None:
    table = make_table()
    grouped = cues_by_segment(table, parse_vtt(webvtt(table)))
    assert len(grouped) == len(TEXTS)


def test_webvtt_chapter_notes_cannot_end_a_block() -> None:
    table = make_table()
    chapters = (TimedChapter("A --> B", 0, 10), *table.chapters[1:])
    text = webvtt(TimingTable(table.segments, chapters, table.duration_ms))
    notes = [line for line in text.splitlines() if line.startswith("NOTE")]
    assert len(notes) == len(chapters)
    assert all("-->" not in note for note in notes)


# --- chapters JSON ---------------------------------------------------------------------------


def test_chapters_json_is_podcasting_2_chapters_in_seconds() -> None:
    table = make_table()
    doc = json.loads(chapters_json(table, "Are the US & China ready?", "story.mp3"))
    assert doc["version"] == "1.2.0"
    assert doc["title"] == "Are the US & China ready?"
    assert doc["fileName"] == "story.mp3"
    assert [c["title"] for c in doc["chapters"]] == CHAPTERS
    for entry, chapter in zip(doc["chapters"], table.chapters, strict=True):
        assert entry["startTime"] == pytest.approx(chapter.start_ms / 1000, abs=1e-9)
        assert entry["endTime"] == pytest.approx(chapter.end_ms / 1000, abs=1e-9)
        assert isinstance(entry["startTime"], int | float)
    assert doc["chapters"][0]["startTime"] == 0
    assert doc["chapters"][-1]["endTime"] == table.duration_ms / 1000


def test_chapters_json_without_title_or_file_name() -> None:
    doc = json.loads(chapters_json(make_table()))
    assert doc["version"] == "1.2.0"
    assert "chapters" in doc
    assert len(doc["chapters"]) == 3


# --- ffmetadata ------------------------------------------------------------------------------


def test_ffmetadata_escapes_special_characters() -> None:
    tags = {"title": "a=b;c#d\\e\nf", "artist": "Jo Bloggs", "date": ""}
    text = ffmetadata(make_table(), tags)
    lines = text.split("\n")
    assert lines[0] == ";FFMETADATA1"
    assert "title=a\\=b\\;c\\#d\\\\e\\\nf" in text
    assert "artist=Jo Bloggs" in lines
    assert not [line for line in lines if line.startswith("date=")]
    assert "title=Standfirst\\; a \\= b \\# c \\\\ d" in lines


def test_ffmetadata_has_one_chapter_section_per_chapter_in_milliseconds() -> None:
    table = make_table()
    text = ffmetadata(table, {"title": "T"})
    assert text.endswith("\n")
    sections = text.split("[CHAPTER]\n")[1:]
    assert len(sections) == len(table.chapters)
    for section, chapter in zip(sections, table.chapters, strict=True):
        fields = [line for line in section.split("\n") if line]
        assert fields[0] == "TIMEBASE=1/1000"
        assert f"START={chapter.start_ms}" in fields
        assert f"END={chapter.end_ms}" in fields
        assert any(f.startswith("title=") for f in fields)


def test_timing_table_to_dict_matches_the_table() -> None:
    table = make_table()
    data = table.to_dict()
    assert data["duration_ms"] == table.duration_ms
    assert [c["start_ms"] for c in data["chapters"]] == [c.start_ms for c in table.chapters]
    assert [s["text"] for s in data["segments"]] == TEXTS
    json.dumps(data)


@pytest.mark.parametrize("width", range(40, 80, 3))
def test_webvtt_never_breaks_a_line_inside_french_guillemets_or_before_its_punctuation(
    width: int,
) -> None:
    # the sentence's words laid so that, at some width, a plain wrap would put « or » or ?
    # at a line's edge; the cue lines keep them with their words
    text = "x" * (width % 9) + " « Mais pour que ça fonctionne, ça ne doit pas nuire aux autres " \
        "modes de mobilité durable et c’est ce qui est arrivé l’an passé », a dit M. " \
        "Caldwell. Pourquoi ? Parce que : voilà ; rien."  # fmt: skip
    segment = TimedSegment(0, 0, 0, 9000, text)
    table = TimingTable((segment,), (TimedChapter("Body", 0, 9000),), 9000)
    lines = [line for cue in parse_vtt(webvtt(table)) for line in cue.lines]
    assert " ".join(lines) == text
    for line in lines:
        assert not line.startswith(("»", "?", ":", ";")), line
        assert not line.endswith("«"), line
