"""The shipped feedback questions are valid data, a broken file is refused line by line, and screening finds
names, e-mail addresses, UK phone numbers and links (and leaves ordinary words and numbers alone)."""

from __future__ import annotations

import pytest

from joinedup.voice.instrument import FeedbackInstrumentError, parse, shipped
from joinedup.voice.screening import screen


def test_the_shipped_form_asks_the_overall_question_then_six_statements() -> None:
    instrument = shipped()
    assert (
        instrument.overall_question("the crisis team")
        == "Overall, how was your experience of the crisis team?"
    )
    assert [c.label for c in instrument.overall] == [
        "Very good", "Good", "Neither good nor poor", "Poor", "Very poor", "Don't know"
    ]  # fmt: skip
    assert instrument.positive_overall == {"very_good", "good"}
    assert instrument.agree_keys == {"strongly_agree", "agree"}
    assert [s.key for s in instrument.statements] == [
        "outcome", "listened", "expert", "story_once", "together", "dignity"
    ]  # fmt: skip


def test_a_broken_file_is_refused_naming_each_line_and_field() -> None:
    text = (
        "key: Bad Key\nversion: 1\ntitle: t\noverall: {key: overall, text: q, choices: [{key: a, label: A}]}\n"
        "comments: {key: comments, text: c}\nstatements_intro: s\nscale: []\nstatements:\n"
        "  - {key: one, short: One, text: x, extra: 1}\n"
    )
    with pytest.raises(FeedbackInstrumentError) as refused:
        parse(text)
    problems = "\n".join(refused.value.problems)
    assert "line 1, key:" in problems and "line 9" in problems and "unknown field 'extra'" in problems
    with pytest.raises(FeedbackInstrumentError, match="anchors and aliases"):
        parse("key: &a x\nversion: *a\n")


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("Email jo.bloggs+care@nhs.example.org please", {"email"}),
        ("Ring 07700 900123, 0113 496 0000, (020) 7946 0958 or +44 7700 900 123", {"phone"}),
        ("See https://example.org/page or www.example.com", {"link"}),
        ("Dr Patel and nurse Amy were great; Mrs O'Brien too", {"name"}),
        ("I waited 12 weeks and saw 3 doctors on 14/03/2026. The nurse was kind.", set()),
    ],
)
def test_screening_takes_out_what_identifies_people(text: str, flags: set[str]) -> None:
    found = screen(text)
    assert set(found.flags) == flags
    for secret in ("jo.bloggs", "07700", "0113", "7946", "example.org", "Patel", "Amy", "O'Brien"):
        assert secret not in found.text
    if not flags:
        assert found.text == text


def test_names_known_to_the_register_are_taken_out_in_any_case() -> None:
    found = screen("amy okafor helped, and OKAFOR phoned back", names=["Amy Okafor"])
    assert found.text == "[name removed] helped, and [name removed] phoned back"
