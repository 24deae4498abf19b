"""cache.py: content-addressed cache of synthesised sentences (16-bit mono WAV files)."""

from __future__ import annotations

import io
import struct
import wave
from typing import TYPE_CHECKING

import pytest

from newsvoice.engines import AudioChunk, VoiceSpec
from newsvoice.engines.fake import tone
from newsvoice.narration.cache import SegmentCache, default_cache_dir, segment_key

if TYPE_CHECKING:
    from pathlib import Path

VOICE = VoiceSpec("heart", 1.0, "en-US")
DIGEST = "a" * 64
TEXT = "US Secretary of State John Kerry leaves a news conference."
BASE = ("hibari", "hibari-tts 0.2.1/1", VOICE, DIGEST, TEXT)
CHUNK = AudioChunk(tone(250), 16_000)


def key(**change: object) -> str:
    engine, version, voice, digest, text = BASE
    voice = VoiceSpec(
        voice=change.get("voice", voice.voice),  # type: ignore[arg-type]
        speed=change.get("speed", voice.speed),  # type: ignore[arg-type]
        language=change.get("language", voice.language),  # type: ignore[arg-type]
    )
    return segment_key(
        change.get("engine", engine),  # type: ignore[arg-type]
        change.get("version", version),  # type: ignore[arg-type]
        voice,
        change.get("lexicon", digest),  # type: ignore[arg-type]
        change.get("text", text),  # type: ignore[arg-type]
    )


def wav_bytes(chunk: AudioChunk) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(chunk.sample_rate)
        wav.writeframes(chunk.pcm)
    return buffer.getvalue()


def entry_path(root: Path, k: str) -> Path:
    """Where the entry for ``k`` lives: found by storing something there first."""
    SegmentCache(root).put(k, CHUNK)
    (path,) = [p for p in root.rglob("*") if p.is_file()]
    return path


# --- keys ------------------------------------------------------------------------------------


def test_segment_key_is_stable() -> None:
    assert key() == key()
    assert key() == segment_key(*BASE)
    same_voice = VoiceSpec("heart", 1.0, "en-US")
    assert key() == segment_key("hibari", "hibari-tts 0.2.1/1", same_voice, DIGEST, TEXT)
    assert len(key()) == 64
    int(key(), 16)


@pytest.mark.parametrize(
    "change",
    [
        {"engine": "piper"},
        {"version": "hibari-tts 0.2.2/1"},
        {"version": "hibari-tts 0.2.1/2"},
        {"voice": "emma"},
        {"speed": 1.1},
        {"speed": 0.9},
        {"language": "en-GB"},
        {"lexicon": "b" * 64},
        {"text": TEXT + " "},
        {"text": TEXT.replace("Kerry", "kerry")},
        {"text": "Pyong yahng"},
    ],
    ids=lambda c: next(iter(c)),
)
def test_segment_key_changes_with_every_input(change: dict[str, object]) -> None:
    assert key(**change) != key()


def test_segment_key_does_not_confuse_fields() -> None:
    """Moving text between fields gives another key (the payload is structured)."""
    assert key(engine="a", text="b") != key(engine="ab", text="")
    assert key(voice="x y") != key(voice="x", language="y en-US")


# --- put and get -----------------------------------------------------------------------------


def test_put_then_get_returns_the_same_audio(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path / "tts")
    assert cache.enabled
    assert cache.get(key()) is None
    assert cache.misses == 1
    cache.put(key(), CHUNK)
    got = cache.get(key())
    assert got == CHUNK
    assert got is not None
    assert got.pcm == CHUNK.pcm
    assert got.sample_rate == 16_000
    assert cache.hits == 1
    # another key is still a miss
    assert cache.get(key(text="other")) is None


def test_entries_survive_a_new_cache_object(tmp_path: Path) -> None:
    SegmentCache(tmp_path).put(key(), CHUNK)
    assert SegmentCache(tmp_path).get(key()) == CHUNK


def test_entry_is_a_16_bit_mono_wav_named_by_its_key(tmp_path: Path) -> None:
    path = entry_path(tmp_path, key())
    assert key() in path.name
    assert path.suffix == ".wav"
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        assert wav.getframerate() == 16_000
        assert wav.readframes(wav.getnframes()) == CHUNK.pcm
    assert not list(tmp_path.rglob("*.tmp"))


def test_empty_audio_is_not_stored(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path)
    cache.put(key(), AudioChunk(b"", 16_000))
    assert cache.get(key()) is None
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def _zero_rate(data: bytes) -> bytes:
    """The WAV with its sample-rate field (bytes 24-27 of the canonical header) set to 0."""
    assert data[12:16] == b"fmt "
    return data[:24] + struct.pack("<I", 0) + data[28:]


def _stereo(data: bytes) -> bytes:
    return data[:22] + struct.pack("<H", 2) + data[24:]


def _bad_entries() -> list[tuple[str, bytes]]:
    good = wav_bytes(CHUNK)
    cases = [
        ("empty", b""),
        ("garbage", b"this is not a wav file at all" * 20),
        ("random", bytes(range(256)) * 8),
        ("riff-only", b"RIFF\x00\x00\x00\x00WAVE"),
        ("header-only", good[:44]),
        ("stereo", _stereo(good)),
        ("8-bit", good[:34] + struct.pack("<H", 8) + good[36:]),
        ("zero-rate", _zero_rate(good)),
        ("truncated-data", good[: len(good) - 101]),
    ]
    cases += [(f"prefix-{n}", good[:n]) for n in (1, 4, 11, 12, 20, 30, 36, 40, 43, 45, 46)]
    return cases


@pytest.mark.parametrize(("name", "data"), _bad_entries(), ids=[n for n, _ in _bad_entries()])
def test_a_damaged_entry_is_a_miss(tmp_path: Path, name: str, data: bytes) -> None:
    path = entry_path(tmp_path, key())
    path.write_bytes(data)
    cache = SegmentCache(tmp_path)
    assert cache.get(key()) is None, name
    assert cache.misses == 1
    assert cache.hits == 0


def test_a_damaged_entry_is_written_again(tmp_path: Path) -> None:
    path = entry_path(tmp_path, key())
    path.write_bytes(wav_bytes(CHUNK)[:60])
    cache = SegmentCache(tmp_path)
    assert cache.get(key()) is None
    cache.put(key(), CHUNK)
    assert cache.get(key()) == CHUNK


def test_every_truncation_of_an_entry_is_a_miss(tmp_path: Path) -> None:
    good = wav_bytes(AudioChunk(tone(10), 16_000))
    path = entry_path(tmp_path, key())
    cache = SegmentCache(tmp_path)
    for size in range(len(good)):
        path.write_bytes(good[:size])
        assert cache.get(key()) is None, size
    path.write_bytes(good)
    assert cache.get(key()) == AudioChunk(tone(10), 16_000)


def test_a_directory_at_the_entry_path_is_a_miss(tmp_path: Path) -> None:
    path = entry_path(tmp_path, key())
    path.unlink()
    path.mkdir()
    cache = SegmentCache(tmp_path)
    assert cache.get(key()) is None
    cache.put(key(), CHUNK)  # cannot replace a directory: ignored, not raised


def test_an_unwritable_root_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    cache = SegmentCache(blocker / "tts")  # a path below a regular file
    cache.put(key(), CHUNK)
    assert cache.get(key()) is None


def test_root_none_disables_the_cache() -> None:
    cache = SegmentCache(None)
    assert not cache.enabled
    cache.put(key(), CHUNK)
    assert cache.get(key()) is None
    assert cache.hits == 0


# --- where the cache lives -------------------------------------------------------------------


def test_default_cache_dir_honours_newsvoice_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSVOICE_CACHE", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "mine"


def test_default_cache_dir_honours_xdg_cache_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NEWSVOICE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "newsvoice" / "tts"


def test_default_cache_dir_falls_back_to_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NEWSVOICE_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / ".cache" / "newsvoice" / "tts"
    monkeypatch.setenv("NEWSVOICE_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert default_cache_dir() == tmp_path / ".cache" / "newsvoice" / "tts"


def test_a_cache_that_cannot_be_written_is_said_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "not-a-folder"
    root.write_text("a file where the cache should be")
    cache = SegmentCache(root)
    with caplog.at_level("WARNING", logger="newsvoice"):
        cache.put(key(), CHUNK)
        cache.put(key(text="Another sentence."), CHUNK)
    assert cache.unwritable
    assert cache.get(key()) is None
    (record,) = caplog.records
    assert record.getMessage().startswith(f"sentences are not being cached in {root} (")
    assert record.getMessage().endswith("): a rerun will speak them again")
    assert "\n" not in record.getMessage()
