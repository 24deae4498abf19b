"""rules.py: shipped rules, user rule files, validation and class tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from newsvoice.errors import ConfigError, ExitStatus
from newsvoice.extract.rules import class_tokens, default_rules, load_rules

if TYPE_CHECKING:
    from pathlib import Path

NBSP = "\u00a0"
SEED_CHROME = [
    "of stories this month > Get unlimited stories",
    f"You've read{NBSP}{NBSP}of{NBSP}{NBSP}free articles. Subscribe to continue.",
    "You've read  of  free articles. Subscribe to continue.",
    "Unlimited digital access $11/month.",
    "Get unlimited Monitor journalism.",
]
OTHER_PAYWALL = [
    "You have read 3 of 5 free articles this month.",
    "You’ve read 4 out of 10 free stories",
    "Subscribe now to continue reading.",
    "To continue reading, please log in.",
    "Already a subscriber? Log in",
    "This article is only available to subscribers.",
    "Start your free trial",
    "Become a member today",
]
NORMAL = [
    "US Secretary of State John Kerry and China’s foreign minister agreed Wednesday on the need "
    "for a UN resolution condemning North Korea for its latest nuclear test.",
    "The council read the report before the vote.",
    "He said the talks would continue next month.",
    "Residents will get free parking on Sundays.",
    "“This is a threat the United States must take extremely seriously,” Kerry said.",
    "The museum has been closed since March.",
    "She subscribes to the view that prices will fall.",
]


def _write(tmp_path: Path, text: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# --- shipped rules -------------------------------------------------------------------------


def test_shipped_rules_load() -> None:
    rules = default_rules()
    assert "paywall" in rules.paywall.classes
    assert "share" in rules.boilerplate.classes
    assert rules.paywall.text is not None
    assert rules.boilerplate.text is not None
    assert default_rules() is rules  # cached


@pytest.mark.parametrize("line", SEED_CHROME)
def test_seed_chrome_lines_match_paywall_rules(line: str) -> None:
    assert default_rules().paywall.matches_text(line)


def test_every_chrome_line_of_the_seed_matches(samples: Path) -> None:
    lines = (samples / "seed-kerry-china.txt").read_text("utf-8").splitlines()
    tail = [line for line in lines[-6:] if line.strip()]
    assert len(tail) == 4
    assert all(default_rules().paywall.matches_text(line) for line in tail)


@pytest.mark.parametrize("line", OTHER_PAYWALL)
def test_common_paywall_prompts_match(line: str) -> None:
    assert default_rules().paywall.matches_text(line)


@pytest.mark.parametrize("line", NORMAL)
def test_normal_sentences_match_no_rule(line: str) -> None:
    rules = default_rules()
    assert not rules.paywall.matches_text(line)
    assert not rules.boilerplate.matches_text(line)


@pytest.mark.parametrize(
    "line", ["Advertisement", "ADVERTISEMENT", "Share this article", "Read more:", "5 min read"]
)
def test_boilerplate_labels_match(line: str) -> None:
    assert default_rules().boilerplate.matches_text(line)


def test_boilerplate_anchors_do_not_catch_sentences_that_mention_them() -> None:
    rules = default_rules()
    assert not rules.boilerplate.matches_text("The advertisement ran for a week in May.")
    assert not rules.boilerplate.matches_text("Please share this with your neighbours, she said.")


def test_the_paywall_meter_element_class_is_a_paywall_class() -> None:
    classes = default_rules().paywall.classes
    assert {"paywall", "meter"} <= classes


# --- user files ----------------------------------------------------------------------------


def test_user_file_extends_lists(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[paywall]
classes = ["Gazette-Gate"]
text = ["members read this first"]

[boilerplate]
classes = ["bottom-promo-box"]
text = ["^more from the gazette$"]
selectors = ["div.outbrain-like > ul"]
""",
    )
    rules = load_rules([path])
    assert "gazette-gate" in rules.paywall.classes  # lower-cased
    assert "paywall" in rules.paywall.classes  # shipped ones kept
    assert rules.paywall.matches_text("Members read this first. Join today.")
    assert rules.paywall.matches_text("Get unlimited stories")
    assert "bottom-promo-box" in rules.boilerplate.classes
    assert rules.boilerplate.matches_text("More from the Gazette")
    assert "div.outbrain-like > ul" in [s.pattern for s in rules.selectors]


def test_two_user_files_both_apply(tmp_path: Path) -> None:
    one = _write(tmp_path, '[paywall]\ntext = ["first extra rule"]\n', "one.toml")
    two = _write(tmp_path, '[paywall]\ntext = ["second extra rule"]\n', "two.toml")
    rules = load_rules([one, two])
    assert rules.paywall.matches_text("first extra rule")
    assert rules.paywall.matches_text("second extra rule")


def test_user_file_does_not_change_the_shipped_rules(tmp_path: Path) -> None:
    load_rules([_write(tmp_path, '[boilerplate]\nclasses = ["only-in-user-file"]\n')])
    assert "only-in-user-file" not in load_rules().boilerplate.classes
    assert "only-in-user-file" not in default_rules().boilerplate.classes


def test_empty_user_file_is_fine(tmp_path: Path) -> None:
    rules = load_rules([_write(tmp_path, "# nothing\n")])
    assert rules.paywall.classes == default_rules().paywall.classes


BAD_FILES = {
    "bad toml": "[paywall\nclasses = [",
    "unknown section": '[paywal]\nclasses = ["x"]\n',
    "unknown key": '[paywall]\nclass = ["x"]\n',
    "string not list": '[paywall]\nclasses = "paywall"\n',
    "number in list": "[boilerplate]\ntext = [1, 2]\n",
    "section not a table": 'paywall = "yes"\n',
    "invalid regex": '[paywall]\ntext = ["(unclosed"]\n',
    "invalid regex in boilerplate": '[boilerplate]\ntext = ["a[b"]\n',
}


@pytest.mark.parametrize("text", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_rule_files_raise_config_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_rules([_write(tmp_path, text)])
    assert info.value.exit_code == ExitStatus.USAGE
    assert int(info.value.exit_code) == 2
    assert "\n" not in str(info.value)


def test_missing_rules_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_rules([tmp_path / "absent.toml"])
    assert info.value.exit_code == 2


def test_non_utf8_rules_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[paywall]\ntext = ["café"]\n'.encode("latin-1"))
    with pytest.raises(ConfigError):
        load_rules([path])


def test_unknown_section_error_names_the_remedy(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_rules([_write(tmp_path, "[ads]\n")])
    assert "[ads]" in str(info.value)
    assert "[paywall]" in str(info.value)


# --- class tokens --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("shareBar-top", ["sharebar-top", "share", "bar", "top", "share-bar", "bar-top"]),
        ("ad_slot", ["ad_slot", "ad", "slot", "ad-slot"]),
        ("socialLinks", ["sociallinks", "social", "links", "social-links"]),
        ("paywall", ["paywall", "paywall"]),
        (
            "related--stories__list",
            [
                "related--stories__list",
                "related",
                "stories",
                "list",
                "related-stories",
                "stories-list",
            ],
        ),
        ("tp-modal2", ["tp-modal2", "tp", "modal2", "tp-modal2"]),
        ("css-53u6y8", ["css-53u6y8", "css", "53u6y8", "css-53u6y8"]),
    ],
)
def test_class_tokens_split_camel_case_dashes_and_underscores(
    value: str, expected: list[str]
) -> None:
    assert class_tokens(value) == expected


def test_class_tokens_are_lower_case() -> None:
    assert all(t == t.lower() for t in class_tokens("ArticleBody-MainText_XL"))


def test_head_tokens_name_what_an_element_is() -> None:
    from newsvoice.extract.rules import head_tokens

    assert head_tokens("comments-area") == ["comments-area", "comments", "comments-area"]
    assert "hidden" not in head_tokens("field--label-hidden")
    assert "widget" not in head_tokens("elementor-widget-text-editor")
    assert head_tokens("hidden-xs") == []
    assert head_tokens("visible-md") == []
    assert "hidden" in head_tokens("hidden")
