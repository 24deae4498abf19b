"""decode.py: encoding precedence, declared encodings honoured as browsers do, guesses by
language, binary sniffing, gzip."""

from __future__ import annotations

import codecs
import gzip
import zlib

import pytest

from newsvoice.errors import (
    ConfigError,
    DecodeError,
    ExitStatus,
    InputError,
    InputTooLarge,
)
from newsvoice.extract.decode import (
    CappedInflater,
    Decoded,
    binary_kind,
    decode_bytes,
    gunzip_capped,
    looks_binary,
)
from newsvoice.limits import Limits

GERMAN = "Straße, naïve Bürger und größere Gebäude: „Grüße“ – daß ein Café schließt."
HTML_UTF8 = f"<!doctype html><title>t</title><p>{GERMAN}</p>"


def _meta(charset: str, body: str = GERMAN, encoding: str = "utf-8") -> bytes:
    return f'<html><head><meta charset="{charset}"></head><p>{body}</p>'.encode(encoding)


# --- precedence -------------------------------------------------------------------------------


def test_plain_utf8_is_the_default() -> None:
    assert decode_bytes(HTML_UTF8.encode()) == Decoded(HTML_UTF8, "utf-8", "default", False)


def test_ascii_is_utf8_by_default() -> None:
    got = decode_bytes(b"<p>hello</p>")
    assert (got.encoding, got.source, got.guessed) == ("utf-8", "default", False)


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_decides_and_is_not_kept(bom: bytes, encoding: str) -> None:
    got = decode_bytes(bom + HTML_UTF8.encode(encoding))
    assert got == Decoded(HTML_UTF8, encoding, "bom", False)


def test_bom_beats_header_and_meta() -> None:
    raw = codecs.BOM_UTF8 + _meta("windows-1252")
    got = decode_bytes(raw, header_charset="iso-8859-2")
    assert (got.encoding, got.source) == ("utf-8", "bom")
    assert GERMAN in got.text


def test_header_beats_meta() -> None:
    raw = _meta("utf-8", encoding="cp1252")
    got = decode_bytes(raw, header_charset="windows-1252")
    assert (got.encoding, got.source, got.guessed) == ("windows-1252", "http-header", False)
    assert GERMAN in got.text


def test_header_iso_8859_1_means_windows_1252() -> None:
    got = decode_bytes("„quoted“ €5".encode("cp1252"), header_charset="ISO-8859-1")
    assert (got.text, got.encoding) == ("„quoted“ €5", "windows-1252")


CAFE = "Café “quoted” €5."
JA = "日本語の記事です。"
RU = "Русская статья."


@pytest.mark.parametrize(
    ("label", "encoding", "python", "sample"),
    [
        ("windows-1252", "windows-1252", "cp1252", CAFE),
        ("latin1", "windows-1252", "cp1252", CAFE),
        ("US-ASCII", "windows-1252", "cp1252", CAFE),
        ("utf8", "utf-8", "utf-8", CAFE),
        ("x-sjis", "shift_jis", "shift_jis", JA),
        ("Shift_JIS", "shift_jis", "shift_jis", JA),
        ("euc-jp", "euc-jp", "euc_jp", JA),
        ("gb2312", "gb18030", "gb2312", "中文新闻文章。"),
        ("GBK", "gb18030", "gbk", "中文新闻文章。"),
        ("big5", "big5", "big5", "中文新聞文章。"),
        ("euc-kr", "euc-kr", "euc_kr", "한국어 기사입니다."),
        ("iso-8859-2", "iso-8859-2", "iso8859-2", "Zażółć gęślą jaźń."),
        ("latin2", "iso-8859-2", "iso8859-2", "Zażółć gęślą jaźń."),
        ("iso-8859-9", "windows-1254", "cp1254", "Türkçe haber ğış."),
        ("koi8-r", "koi8-r", "koi8-r", RU),
        ("windows-1251", "windows-1251", "cp1251", RU),
    ],
)
def test_labels_map_like_whatwg(label: str, encoding: str, python: str, sample: str) -> None:
    got = decode_bytes(_meta(label, body=sample, encoding=python))
    assert (got.encoding, got.source, got.guessed) == (encoding, "meta", False)
    assert sample in got.text


@pytest.mark.parametrize(
    "meta",
    [
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        b"<META HTTP-EQUIV=content-type CONTENT='text/html;charset=windows-1252'>",
        b"<meta charset=windows-1252>",
        b'<meta name="viewport" content="width=device-width"><meta charset=" windows-1252">',
    ],
)
def test_meta_forms(meta: bytes) -> None:
    got = decode_bytes(b"<html><head>" + meta + b"</head><p>caf\xe9</p>")
    assert (got.encoding, got.source) == ("windows-1252", "meta")
    assert "café" in got.text


def test_meta_after_1024_bytes_is_ignored() -> None:
    raw = b"<!-- " + b"x" * 1100 + b" --><meta charset=windows-1252><p>caf\xc3\xa9</p>"
    assert decode_bytes(raw).source == "default"


def test_meta_inside_a_comment_is_ignored() -> None:
    raw = b"<!-- <meta charset=windows-1252> --><p>caf\xc3\xa9</p>"
    got = decode_bytes(raw)
    assert (got.encoding, got.source) == ("utf-8", "default")


def test_meta_utf16_means_utf8() -> None:
    got = decode_bytes(_meta("utf-16"))
    assert (got.encoding, got.source) == ("utf-8", "meta")


@pytest.mark.parametrize("label", ["foo-bar", "utf-7", "base64", "rot13", "x-user-defined", ""])
def test_unknown_or_unsafe_labels_are_ignored(label: str) -> None:
    got = decode_bytes(_meta(label), header_charset=label)
    assert (got.encoding, got.source) == ("utf-8", "default")
    assert GERMAN in got.text


def test_windows_1252_undefined_bytes_follow_whatwg() -> None:
    got = decode_bytes(b"<meta charset=windows-1252>a\x81b\x9dc")
    assert got.text.endswith("a\x81b\x9dc")


# --- declared encodings, as browsers honour them ---------------------------------------------


def test_a_stray_latin1_byte_in_declared_utf8_reads_as_windows_1252() -> None:
    raw = _meta("utf-8") + b"<p>Mitgef" + b"\xfchl w\xe4hlen</p>"
    got = decode_bytes(raw)
    assert (got.encoding, got.source, got.guessed) == ("utf-8", "meta", False)
    assert GERMAN in got.text
    assert "Mitgefühl wählen" in got.text


def test_declared_utf8_that_is_wholly_windows_1252_is_redetected() -> None:
    raw = _meta("utf-8", GERMAN + " " + GERMAN, encoding="cp1252")
    got = decode_bytes(raw)
    assert (got.encoding, got.source, got.guessed) == ("windows-1252", "detected", True)
    assert GERMAN in got.text


def test_short_declared_utf8_that_is_not_utf8_cannot_be_guessed() -> None:
    with pytest.raises(DecodeError, match=r"byte 0xe9 at offset 3\) and too short") as info:
        decode_bytes(b"caf\xe9 au lait", header_charset="utf-8")
    assert info.value.exit_code == ExitStatus.INPUT


def test_a_stray_byte_after_a_utf8_bom() -> None:
    got = decode_bytes(codecs.BOM_UTF8 + "é a".encode() + b"\xe9")
    assert (got.text, got.source) == ("é aé", "bom")


def test_invalid_bytes_in_a_declared_legacy_encoding_are_dropped() -> None:
    raw = b"<meta charset=shift_jis>" + "日本".encode("cp932") + b"\x81\x20"
    got = decode_bytes(raw)
    assert (got.encoding, got.source) == ("shift_jis", "meta")
    assert got.text == "<meta charset=shift_jis>日本 "


# --- given (--encoding) -----------------------------------------------------------------------


def test_given_wins_and_drops_bad_bytes() -> None:
    raw = _meta("windows-1252") + b"\xff\xfe ok"
    got = decode_bytes(raw, given="utf-8", header_charset="iso-8859-2")
    assert got == Decoded(got.text, "utf-8", "given", False)
    assert "\ufffd" not in got.text
    assert got.text.endswith(" ok")


def test_given_gives_exact_cp1252() -> None:
    got = decode_bytes(GERMAN.encode("cp1252"), given="cp1252")
    assert (got.text, got.encoding, got.source) == (GERMAN, "windows-1252", "given")


def test_given_utf16_follows_the_bom() -> None:
    got = decode_bytes(codecs.BOM_UTF16_BE + "hi".encode("utf-16-be"), given="utf-16")
    assert (got.text, got.encoding) == ("hi", "utf-16-be")


@pytest.mark.parametrize("label", ["nope", "base64", "hex", "idna", "unicode_escape", "a\x00b"])
def test_given_unknown_encoding_is_a_usage_error(label: str) -> None:
    with pytest.raises(ConfigError, match="unknown encoding") as info:
        decode_bytes(b"hello", given=label)
    assert info.value.exit_code == ExitStatus.USAGE


# --- detection --------------------------------------------------------------------------------


def test_undeclared_cp1252_is_guessed_and_flagged() -> None:
    raw = (GERMAN + " " + GERMAN).encode("cp1252")
    got = decode_bytes(raw)
    assert (got.encoding, got.source, got.guessed) == ("windows-1252", "detected", True)
    assert "naïve Bürger" in got.text


# Real sentences of each language, long enough for a page's worth of evidence.
SAMPLES = {
    "fr": "Le café du coin a fermé : une décision « naïve », dit l'élu, qui préfère "
    "les économies à la vie de quartier. Les habitués, déçus, se réuniront à l'église.",
    "pl": "Rząd ogłosił w środę nowe zasady dotyczące ochrony zdrowia. Zmiany mają "
    "wejść w życie już w przyszłym miesiącu, a pacjenci zyskają łatwiejszy dostęp do lekarzy.",
    "cs": "Vláda ve středu schválila nová pravidla pro zdravotnictví. Změny začnou "
    "platit příští měsíc a pacienti získají snazší přístup k lékařům a nemocnicím.",
    "ru": "Правительство в среду объявило о новых мерах поддержки экономики. Изменения "
    "вступят в силу в следующем месяце, сообщили в министерстве финансов.",
    "ja": "政府は水曜日、経済を支援するための新たな対策を発表した。変更は来月から施行され、"
    "財務省によると、中小企業への融資も拡大される見通しだ。",
    "zh": "政府周三宣布了支持经济的新措施。财政部表示，这些变化将于下个月生效，"
    "中小企业的贷款也将扩大。专家认为，这将有助于稳定就业。",
    "ko": "정부는 수요일 경제를 지원하기 위한 새로운 대책을 발표했다. 재무부에 따르면 "
    "변경 사항은 다음 달부터 시행되며 중소기업에 대한 대출도 확대될 전망이다.",
}


def _page(language: str, text: str, lang_attr: bool = True) -> str:
    lang = f' lang="{language}"' if lang_attr else ""
    return f"<!doctype html><html{lang}><head><title>t</title></head><body><p>{text}</p>" + (
        f"<p>{text}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("language", "codec", "expected"),
    [
        ("fr", "cp1252", "windows-1252"),
        ("pl", "iso8859-2", "iso-8859-2"),
        ("cs", "iso8859-2", "iso-8859-2"),
        ("pl", "cp1250", "windows-1250"),
        ("ru", "koi8-r", "koi8-r"),
        ("ru", "cp1251", "windows-1251"),
        ("ja", "shift_jis", "shift_jis"),
        ("ja", "euc_jp", "euc-jp"),
        ("zh", "gb18030", "gb18030"),
        ("ko", "euc_kr", "euc-kr"),
    ],
)
def test_undeclared_legacy_pages_decode_by_their_language(
    language: str, codec: str, expected: str
) -> None:
    page = _page(language, SAMPLES[language])
    got = decode_bytes(page.encode(codec))
    assert (got.encoding, got.source, got.guessed) == (expected, "detected", True)
    assert got.text == page


@pytest.mark.parametrize(
    ("language", "codec", "url"),
    [
        ("pl", "iso8859-2", "https://example.pl/news/1"),
        ("ru", "koi8-r", "http://example.ru/a.html"),
        ("ja", "shift_jis", "https://example.co.jp/x"),
        ("ko", "euc_kr", "https://example.co.kr/x"),
        ("fr", "cp1252", "https://example.com/x"),
    ],
)
def test_without_a_lang_the_top_level_domain_biases_detection(
    language: str, codec: str, url: str
) -> None:
    page = _page(language, SAMPLES[language], lang_attr=False)
    got = decode_bytes(page.encode(codec), url=url)
    assert got.text == page


@pytest.mark.parametrize("language", ["ja", "zh", "ko", "ru"])
def test_undeclared_multibyte_and_cyrillic_pages_are_detected_without_hints(
    language: str,
) -> None:
    codec = {"ja": "shift_jis", "zh": "gb18030", "ko": "euc_kr", "ru": "koi8-r"}[language]
    page = _page(language, SAMPLES[language], lang_attr=False)
    assert decode_bytes(page.encode(codec)).text == page


def test_undeclared_latin_page_defaults_to_windows_1252_not_1250() -> None:
    page = _page("en", "A naïve café owner’s “soufflé” — déjà vu, señor. " * 3, lang_attr=False)
    got = decode_bytes(page.encode("cp1252"))
    assert (got.encoding, got.text) == ("windows-1252", page)


def test_undeclared_cyrillic_is_guessed() -> None:
    text = "Новости дня: правительство объявило о новых мерах поддержки экономики."
    got = decode_bytes(text.encode("cp1251"))
    assert (got.encoding, got.source, got.guessed, got.text) == (
        "windows-1251",
        "detected",
        True,
        text,
    )


def test_short_undeclared_non_utf8_is_not_guessed() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"caf\xe9")
    assert str(info.value) == (
        "input is not valid UTF-8 (byte 0xe9 at offset 3) and too short to guess its "
        "encoding; pass --encoding to choose one"
    )


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_is_detected(codec: str) -> None:
    got = decode_bytes(HTML_UTF8.replace(GERMAN, "plain ascii text").encode(codec))
    assert (got.encoding, got.source, got.guessed) == (codec, "detected", True)
    assert "plain ascii text" in got.text


# --- empty and oversized ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", [b"", b"   \n\t ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " ".encode("utf-16-le")]
)
def test_empty_input(raw: bytes) -> None:
    with pytest.raises(InputError, match=r"^input is empty$"):
        decode_bytes(raw)


def test_empty_after_given_decoding() -> None:
    with pytest.raises(InputError, match=r"^input is empty$"):
        decode_bytes(b"\xff\xff", given="utf-8")


def test_oversized_input() -> None:
    with pytest.raises(InputTooLarge, match=r"^input is 11 bytes; the limit is 10; ") as info:
        decode_bytes(b"hello world", limits=Limits(max_input_bytes=10))
    assert info.value.hint
    assert info.value.exit_code == ExitStatus.INPUT


# --- binary sniffing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00", "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
        (b"PK\x03\x04\x14\x00", "ZIP archive"),
        (b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/epub+zip", "EPUB book"),
        (b"\x1f\x8b\x08\x00", "gzip-compressed data"),
        (b"\x7fELF\x02\x01\x01", "ELF executable"),
        (b"ID3\x04\x00", "MP3 audio"),
        (b"RIFF\x24\x08\x00\x00WAVEfmt ", "WAV audio"),
        (b"RIFF\x24\x08\x00\x00WEBPVP8 ", "WebP image"),
        (b"OggS\x00\x02", "Ogg media"),
        (b"\x00\x00\x00\x18ftypmp42", "MP4/QuickTime media"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "7-Zip archive"),
        (b"BZh91AY&SY", "bzip2-compressed data"),
        (b"<html>\x00<p>x</p>", "binary data"),
        (b"\x00\x01\x02\x03 random", "binary data"),
    ],
)
def test_binary_kind(raw: bytes, kind: str) -> None:
    assert binary_kind(raw) == kind
    assert looks_binary(raw)


@pytest.mark.parametrize(
    "raw",
    [
        HTML_UTF8.encode(),
        b"",
        b"plain text",
        codecs.BOM_UTF16_LE + "<p>x</p>".encode("utf-16-le"),
        codecs.BOM_UTF32_BE + "<p>x</p>".encode("utf-32-be"),
        "<p>bomless</p>".encode("utf-16-le"),
        "<p>bomless</p>".encode("utf-16-be"),
        GERMAN.encode("cp1252"),
        b"MZ is a text that happens to start like an executable",
        b"BZh is not bzip2 without its block magic",
    ],
)
def test_text_is_not_binary(raw: bytes) -> None:
    assert binary_kind(raw) is None
    assert not looks_binary(raw)


def test_nul_after_the_first_4k_is_not_sniffed() -> None:
    assert binary_kind(b"a" * 5000 + b"\x00") is None


# --- gzip -------------------------------------------------------------------------------------


def test_gunzip_capped_round_trip_and_multiple_members() -> None:
    raw = gzip.compress(b"first ") + gzip.compress(b"second")
    assert gunzip_capped(raw, 100) == b"first second"


def test_gunzip_capped_stops_a_bomb() -> None:
    bomb = gzip.compress(bytes(50_000_000), compresslevel=9)
    with pytest.raises(InputTooLarge, match="larger than the 1,000,000-byte limit"):
        gunzip_capped(bomb, 1_000_000)


def test_gunzip_capped_exact_limit_is_fine() -> None:
    assert gunzip_capped(gzip.compress(b"x" * 1000), 1000) == b"x" * 1000


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x1f\x8bnot really gzip", "not valid gzip data"),
        (gzip.compress(b"hello world" * 100, mtime=0)[:-12], "truncated gzip data"),
        (b"plain text", "not valid gzip data"),
    ],
)
def test_gunzip_capped_rejects_bad_data(raw: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        gunzip_capped(raw, 10_000)


def test_gunzip_capped_ignores_nul_padding() -> None:
    assert gunzip_capped(gzip.compress(b"padded") + bytes(16), 100) == b"padded"


def test_inflater_streams_in_small_pieces() -> None:
    data = b"<p>streamed</p>" * 1000
    for raw, coding in [
        (gzip.compress(data), "gzip"),
        (zlib.compress(data), "deflate"),
        (zlib.compress(data, wbits=-15), "deflate"),
    ]:
        inflater = CappedInflater(len(data), coding, what="the page")
        out = b"".join(inflater.feed(raw[i : i + 7]) for i in range(0, len(raw), 7))
        inflater.finish()
        assert out == data


def test_inflater_names_its_input() -> None:
    inflater = CappedInflater(10, "gzip", what="https://example.com/a")
    with pytest.raises(InputTooLarge, match=r"^https://example\.com/a is larger than the 10-byte"):
        inflater.feed(gzip.compress(bytes(1000)))
