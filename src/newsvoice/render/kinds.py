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
