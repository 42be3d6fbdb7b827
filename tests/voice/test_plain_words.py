"""The public pages are in plain English: the feedback form and its thank-you page, read as a person sees them,
score a Flesch-Kincaid grade of at most 4 (a reading age of about 9), with short sentences and no jargon."""

from __future__ import annotations

import re
from typing import Any

import pytest

from joinedup.voice.instrument import shipped
from tests.test_plain_words import visible_text
from tests.voice.helpers import feedback_setup

pytestmark = pytest.mark.django_db
JARGON = {"service user", "stakeholder", "submit", "anonymised", "disclosure", "respondent", "moderation"}


def syllables(word: str) -> int:
    """A simple count of vowel groups (good enough to rank text, not to publish a score)."""
    word = word.lower().strip("'")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def grade(text: str) -> float:
    sentences = [s for s in re.split(r"[.!?]+(?:\s|$)", text) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z']+", text)
    return 0.39 * len(words) / len(sentences) + 11.8 * sum(map(syllables, words)) / len(words) - 15.59


def test_the_questions_read_at_a_reading_age_of_about_9() -> None:
    instrument = shipped()
    questions = [instrument.overall_question("the team"), instrument.comments_text, instrument.comments_hint]
    questions += [s.text for s in instrument.statements]
    assert grade(" ".join(questions)) <= 4, grade(" ".join(questions))


@pytest.mark.parametrize("page", ["", "thanks/"])
def test_the_public_pages_read_at_a_reading_age_of_about_9(client: Any, page: str) -> None:
    partnership, _coordinator, form = feedback_setup(service="the team")
    html = client.get(f"/f/{form.code}/{page}").content.decode()
    main = html.split('id="maincontent"', 1)[1].split("</main>", 1)[0]
    # what a person reads as sentences: headings, paragraphs, questions and hints (not the answer labels), each
    # one unit; the partnership's name is a name, not words to read
    units = re.findall(
        r"<(h1|h2|p|legend|div class=\"nhsuk-hint\")[^>]*>(.*?)</(?:h1|h2|p|legend|div)>", main, re.S
    )
    text = " ".join(
        visible_text(inner).replace(partnership.name, "We").rstrip(".?!") + "." for _tag, inner in units
    )
    assert grade(text) <= 4, (grade(text), text)
    lowered = visible_text(main).lower()
    assert not {w for w in JARGON if w in lowered}


def test_the_grade_tells_plain_words_from_hard_ones() -> None:
    assert grade("The staff were kind. I got help fast.") < 2
    assert grade("Comprehensive multidisciplinary organisational arrangements facilitate integration.") > 12
