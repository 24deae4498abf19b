"""The renderers' fixed choices, as enums: light to import, so the CLI can offer them as
choices without loading the EPUB or audio stacks."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """The audio container: MP3 with ID3 chapters, or M4B (AAC in MP4) with its own."""

    MP3 = "mp3"
    M4B = "m4b"


class Transcript(StrEnum):
    """Transcript files written beside the audio."""

    VTT = "vtt"


class Cover(StrEnum):
    """The cover kinds that are not a file: drawn from the titles, or none."""

    AUTO = "auto"
    NONE = "none"


class Edition(StrEnum):
    """The editions newsvoice makes of an article; an accessibility summary names the others
    that were made beside it."""

    EPUB = "epub"
    AUDIO = "audio"
    READALONG = "readalong"
    DAISY = "daisy"
    BRAILLE = "braille"


_EDITION_NAMES = {
    Edition.EPUB: "an EPUB 3 e-book",
    Edition.AUDIO: "a narrated MP3 (with chapters and a WebVTT transcript)",
    Edition.READALONG: "a read-along EPUB 3 with the narration (Media Overlays)",
    Edition.DAISY: "a DAISY 2.02 talking book (full text and full audio)",
    Edition.BRAILLE: "a braille file (BRF, Unified English Braille or the language's table)",
}


def also_available(editions: tuple[Edition, ...]) -> str:
    """The sentence an accessibility summary ends with: the other editions of the same
    articles ('' when there are none)."""
    names = [_EDITION_NAMES[e] for e in dict.fromkeys(editions)]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"The same text is also published as {listed}."
