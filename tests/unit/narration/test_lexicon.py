"""speech/lexicon.py: PLS and TOML pronunciation lexicons, applied as whole-word aliases."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsvoice.errors import ConfigError, ExitStatus
from newsvoice.narration.lexicon import MAX_LEXICON_BYTES, Lexicon, load_lexicon, merge

SHIPPED = Path(__file__).resolve().parents[3] / "voices" / "lexicons" / "en.pls"
PLS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" '
    'alphabet="ipa" xml:lang="{lang}">\n'
)


def pls(body: str, lang: str = "en") -> str:
    return PLS_HEAD.format(lang=lang) + body + "\n</lexicon>\n"


def lexeme(*graphemes: str, alias: str | None = None, phoneme: str | None = None) -> str:
    parts = [f"<grapheme>{g}</grapheme>" for g in graphemes]
    if phoneme:
        parts.append(f"<phoneme>{phoneme}</phoneme>")
    if alias:
        parts.append(f"<alias>{alias}</alias>")
    return f"<lexeme>{''.join(parts)}</lexeme>"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


LEX = Lexicon(
    entries=(
        ("Pyongyang", "Pyong yahng"),
        ("Wang Yi", "Wahng Yee"),
        ("Wang", "Wahng"),
        ("Kim Jong-un", "Kim Jong Oon"),
        ("Kim", "Keem"),
        ("Kyiv", "Keev"),
    ),
    language="en",
)

# --- apply -------------------------------------------------------------------------------

APPLY = [
    ("Pyongyang said", "Pyong yahng said"),
    ("Pyongyang’s ally", "Pyong yahng’s ally"),
    ("Pyongyang's ally", "Pyong yahng's ally"),
    ("Wang Yi met Wang", "Wahng Yee met Wahng"),
    ("Mr. Wang insisted", "Mr. Wahng insisted"),
    ("Wang\u00a0Yi spoke", "Wahng Yee spoke"),
    ("Wang\nYi", "Wahng Yee"),
    ("leader, Kim Jong-un.", "leader, Kim Jong Oon."),
    ("Kim and Kim Jong-un", "Keem and Kim Jong Oon"),
    ("Kyiv-based", "Keev-based"),
    ("(Kyiv)", "(Keev)"),
    ("Wangs and Wangyi", "Wangs and Wangyi"),  # whole words only
    ("wang yi", "wang yi"),  # case-sensitive
    ("PYONGYANG", "PYONGYANG"),
    ("Kimchi", "Kimchi"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), APPLY)
def test_apply(text: str, expected: str) -> None:
    assert LEX.apply(text) == expected


def test_an_empty_lexicon_changes_nothing() -> None:
    assert Lexicon((), "en").apply("Pyongyang") == "Pyongyang"


def test_graphemes_with_symbols_match_whole_words() -> None:
    lexicon = Lexicon((("C++", "C plus plus"), ("AT&T", "A T and T")), "en")
    assert lexicon.apply("C++ and AT&T, not C++x") == "C plus plus and A T and T, not C++x"


def test_aliases_are_not_replaced_again() -> None:
    lexicon = Lexicon((("Kyiv", "Kyiv Keev"), ("Keev", "nope")), "en")
    assert lexicon.apply("Kyiv") == "Kyiv Keev"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abWangYiKm -’'.\n")), max_size=40))
def test_apply_never_touches_text_without_graphemes(text: str) -> None:
    lexicon = Lexicon((("Pyongyang", "Pyong yahng"),), "en")
    assert lexicon.apply(text) == text


# --- digest ------------------------------------------------------------------------------


def test_digest_is_a_stable_sha256() -> None:
    digest = LEX.digest
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert Lexicon(LEX.entries, "en").digest == digest


def test_digest_ignores_entry_order_but_not_content() -> None:
    reordered = Lexicon(tuple(reversed(LEX.entries)), "en")
    changed = Lexicon((*LEX.entries[:-1], ("Kyiv", "Kee-ev")), "en")
    assert reordered.digest == LEX.digest
    assert changed.digest != LEX.digest


# --- merge -------------------------------------------------------------------------------


def test_merge_later_lexicons_override() -> None:
    base = Lexicon((("Kyiv", "Keev"), ("Qatar", "Kutter")), "en")
    user = Lexicon((("Kyiv", "Kee-iv"), ("Doha", "Doe ha")), "en-GB")
    merged = merge(base, user)
    assert merged.entries == (("Kyiv", "Kee-iv"), ("Qatar", "Kutter"), ("Doha", "Doe ha"))
    assert merged.language == "en"
    assert merged.apply("Kyiv and Qatar") == "Kee-iv and Kutter"


def test_merge_of_nothing_is_empty() -> None:
    assert merge() == Lexicon((), "und")


def test_merge_takes_the_first_real_language() -> None:
    assert merge(Lexicon((), "und"), Lexicon((), "fr")).language == "fr"


def test_merge_refuses_different_languages() -> None:
    with pytest.raises(ConfigError, match="different languages"):
        merge(Lexicon((), "en"), Lexicon((), "fr"))


# --- loading PLS -------------------------------------------------------------------------


def test_load_pls(tmp_path: Path) -> None:
    body = "\n".join(
        [
            "<!-- a comment -->",
            lexeme("Pyongyang", alias="Pyong yahng"),
            lexeme("Kim Jong-un", "Kim Jong Un", alias="Kim  Jong\n Oon"),
            lexeme("Xi", phoneme="ɕi"),  # phoneme only: skipped
            lexeme("Kyiv", alias="Keev", phoneme="kɪjiw"),
        ]
    )
    lexicon = load_lexicon(write(tmp_path, "names.pls", pls(body)))
    assert lexicon.language == "en"
    assert lexicon.entries == (
        ("Pyongyang", "Pyong yahng"),
        ("Kim Jong-un", "Kim Jong Oon"),
        ("Kim Jong Un", "Kim Jong Oon"),
        ("Kyiv", "Keev"),
    )


def test_load_pls_without_namespace_and_as_xml(tmp_path: Path) -> None:
    text = '<lexicon xml:lang="en-GB">' + lexeme("a", alias="b") + "</lexicon>"
    lexicon = load_lexicon(write(tmp_path, "names.XML", text))
    assert lexicon == Lexicon((("a", "b"),), "en-GB")


def test_load_toml(tmp_path: Path) -> None:
    text = 'language = "en"\n[aliases]\n"Wang Yi" = "Wahng Yee"\nKyiv = "Keev"\n'
    lexicon = load_lexicon(write(tmp_path, "names.toml", text))
    assert lexicon == Lexicon((("Wang Yi", "Wahng Yee"), ("Kyiv", "Keev")), "en")


def test_load_toml_without_aliases_is_empty(tmp_path: Path) -> None:
    assert load_lexicon(write(tmp_path, "e.toml", 'language = "de"\n')) == Lexicon((), "de")


# --- the shipped lexicon -------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Lexicon:
    return load_lexicon(SHIPPED)


def test_shipped_lexicon_is_modest_and_english(shipped: Lexicon) -> None:
    assert shipped.language == "en"
    assert 20 <= len(shipped.entries) <= 40
    graphemes = dict(shipped.entries)
    assert len(graphemes) == len(shipped.entries)
    assert all(alias != grapheme for grapheme, alias in shipped.entries)


@pytest.mark.parametrize(
    "name",
    [
        "Pyongyang", "Wang Yi", "Kim Jong-un", "Xi Jinping", "Guangzhou", "Volodymyr",
        "Zelenskyy", "Kyiv", "Qatar", "Hezbollah", "Houthi", "Sinaloa", "Nguyen", "Mourinho",
        "Pochettino",
    ],
)  # fmt: skip
def test_shipped_lexicon_covers_the_names(shipped: Lexicon, name: str) -> None:
    assert name in dict(shipped.entries)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pyongyang", "Pyong yahng"),
        ("Wang Yi", "Wahng Yee"),
        ("Kim Jong-un", "Kim Jong Oon"),
        ("Xi Jinping", "Shee Jin ping"),
        ("Kyiv", "Keev"),
        ("President Volodymyr Zelenskyy", "President Vollo deemeer Zelensky"),
    ],
)
def test_shipped_aliases(shipped: Lexicon, text: str, expected: str) -> None:
    assert shipped.apply(text) == expected


def test_shipped_lexicon_declares_ipa_and_tells_users_how_to_extend_it() -> None:
    text = SHIPPED.read_text("utf-8")
    head = text[: text.index("<lexicon")]
    assert 'alphabet="ipa"' in text
    assert 'xml:lang="en"' in text
    assert "lexicon FILE" in head
    assert "TOML" in head


# --- bad files -----------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lexicon [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + ("" if i == 1 else str(i - 1)) + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
    + '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" '
    + 'alphabet="ipa" xml:lang="en">'
    + lexeme("x", alias="&lol9;")
    + "</lexicon>"
)


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(ConfigError, match="not allowed"):
        load_lexicon(write(tmp_path, "bomb.pls", BILLION_LAUGHS))
    assert time.perf_counter() - started < 1.0


def test_billion_laughs_in_utf16_is_refused_too(tmp_path: Path) -> None:
    text = BILLION_LAUGHS.replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>', 1)
    started = time.perf_counter()
    with pytest.raises(ConfigError, match=r"bomb16\.pls"):
        load_lexicon(write(tmp_path, "bomb16.pls", text.encode("utf-16")))
    assert time.perf_counter() - started < 1.0


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "TOP-SECRET-VALUE")
    text = (
        f'<?xml version="1.0"?><!DOCTYPE lexicon [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        + pls(lexeme("x", alias="&xxe;")).split("\n", 1)[1]
    )
    with pytest.raises(ConfigError) as caught:
        load_lexicon(write(tmp_path, "xxe.pls", text))
    assert "TOP-SECRET" not in str(caught.value)


def test_undeclared_entities_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not well-formed"):
        load_lexicon(write(tmp_path, "ent.pls", pls(lexeme("x", alias="&nope;"))))


BAD_PLS = [
    pytest.param("<lexicon", "not well-formed", id="truncated"),
    pytest.param("", "not well-formed", id="empty"),
    pytest.param('<speak xml:lang="en"/>', "not a PLS", id="wrong-root"),
    pytest.param('<x:lexicon xmlns:x="urn:other" xml:lang="en"/>', "not a PLS", id="wrong-ns"),
    pytest.param(
        "<lexicon><lexeme><grapheme>a</grapheme><alias>b</alias></lexeme></lexicon>",
        "language",
        id="no-lang",
    ),
    pytest.param(pls(lexeme("a", alias="b"), lang="not a tag"), "language", id="bad-lang"),
    pytest.param(pls("<lexeme><alias>b</alias></lexeme>"), "lexeme 1", id="no-grapheme"),
    pytest.param(pls(lexeme("a", alias=" ")), "empty", id="blank-alias"),
    pytest.param(pls("<lexeme><grapheme/><alias>b</alias></lexeme>"), "empty", id="blank-g"),
]


@pytest.mark.parametrize(("text", "message"), BAD_PLS)
def test_bad_pls_files(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "bad.pls", text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_lexicon(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == ExitStatus.USAGE


BAD_TOML = [
    pytest.param("language = ", "not valid TOML", id="syntax"),
    pytest.param(b"\xff\xfe", "not valid TOML", id="not-utf8"),
    pytest.param('[aliases]\nKyiv = "Keev"\n', "language", id="no-language"),
    pytest.param("language = 5\n", "language", id="language-not-string"),
    pytest.param('language = "en"\nvoice = "x"\n', "unknown key", id="unknown-key"),
    pytest.param('language = "en"\naliases = 3\n', "must map", id="aliases-not-table"),
    pytest.param('language = "en"\n[aliases]\nKyiv = 3\n', "must map", id="alias-not-str"),
    pytest.param('language = "en"\n[aliases]\nWang.Yi = "x"\n', "must map", id="dotted-key"),
    pytest.param('language = "en"\n[aliases]\nKyiv = ""\n', "empty", id="empty-alias"),
]


@pytest.mark.parametrize(("text", "message"), BAD_TOML)
def test_bad_toml_files(tmp_path: Path, text: str | bytes, message: str) -> None:
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_lexicon(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown file type '\.json'"):
        load_lexicon(write(tmp_path, "names.json", "{}"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read lexicon"):
        load_lexicon(tmp_path / "missing.pls")


def test_a_directory_is_not_a_lexicon(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match="cannot read lexicon"):
        load_lexicon(folder)


def test_oversized_file(tmp_path: Path) -> None:
    path = write(tmp_path, "big.toml", "#" * (MAX_LEXICON_BYTES + 1))
    with pytest.raises(ConfigError, match="larger than"):
        load_lexicon(path)


def test_graphemes_in_scripts_without_spaces_match_inside_a_run() -> None:
    lexicon = Lexicon((("文在寅", "ムンジェイン"), ("李強", "りきょう"), ("Kyiv", "Keev")), "ja")
    assert lexicon.apply("文在寅大統領と李強首相") == "ムンジェイン大統領とりきょう首相"
    assert lexicon.apply("Kyivの市長、Kyivan") == "Keevの市長、Kyivan"  # Latin: whole words


@pytest.mark.parametrize(
    ("language", "text", "said"),
    [
        ("fr", "Joe Biden et le Brexit.", "Djo Baïdeune et le Brexite."),
        ("de", "Boris Johnson und Facebook", "Boris Dschonsen und Fejsbuck"),
        ("es", "Joe Biden y Xi Jinping", "Yo Báiden y Si Yinpin"),
        ("ja", "尹錫悦大統領と頼清徳氏", "ユンソンニョル大統領とらいせいとく氏"),
    ],
)
def test_each_shipped_language_lexicon(language: str, text: str, said: str) -> None:
    lexicon = load_lexicon(SHIPPED.with_name(f"{language}.pls"))
    assert lexicon.language == language
    assert 5 <= len(lexicon.entries) <= 40
    assert lexicon.apply(text) == said
