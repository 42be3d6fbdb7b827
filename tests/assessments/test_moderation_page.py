"""The coordinator's page of comments waiting for release: read only in whole batches of k answers, in a keyed
shuffle, with nothing that says who sent a comment or when; words taken out through it never come back."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from joinedup.assessments.moderation import MARKER
from joinedup.assessments.services import wave_results_compute
from joinedup.surveys.models import Response
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Dr Quillfeather"


def setup(
    client: Any, answers: int, *, role: str = "coordinator", one_org: bool = False
) -> tuple[Any, dict[str, Any]]:
    partnership, orgs = partnership_with_members()
    user = UserFactory()
    grant(user, partnership, role)
    client.force_login(user)
    wave = make_wave(partnership)  # k = 5
    for i in range(answers):
        org = orgs["trust"] if i % 2 or one_org else orgs["council"]
        add_answers(wave, org, 1, comment=f"comment number {i} about {SECRET}", seed=i, compute=False)
    return wave, orgs


def page(client: Any, wave: Any) -> str:
    response = client.get(reverse("assessments:comments", args=[wave.pk]))
    assert response.status_code == 200
    return response.content.decode()


def shown_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"comment number (\d+) about", text)]


def refs(text: str) -> list[str]:
    return re.findall(r'name="ref" value="([^"]*)"', text)


def test_fewer_than_k_answers_show_no_comment_only_how_many_more_are_needed(client: Any) -> None:
    wave, _ = setup(client, 4)
    text = page(client, wave)
    assert shown_numbers(text) == []
    assert "4 answers are waiting. Comments can be read here once 5 are in: 1 more." in text


def test_comments_come_in_whole_batches_of_k_so_one_more_answer_adds_nothing(client: Any) -> None:
    wave, orgs = setup(client, 7)
    text = page(client, wave)
    assert sorted(shown_numbers(text)) == [0, 1, 2, 3, 4]  # the oldest batch of five; not the newest two
    assert "5 comments from 7 answers waiting." in text
    assert "appear once 3 more answers come in" in text
    add_answers(wave, orgs["charity"], 1, comment=f"comment number 7 about {SECRET}", compute=False)
    assert sorted(shown_numbers(page(client, wave))) == [0, 1, 2, 3, 4]  # the page did not change
    for i in (8, 9):
        add_answers(wave, orgs["charity"], 1, comment=f"comment number {i} about {SECRET}", compute=False)
    assert sorted(shown_numbers(page(client, wave))) == list(range(10))


def test_nothing_on_the_page_says_who_sent_a_comment_when_or_in_which_order(client: Any) -> None:
    wave, orgs = setup(client, 10)
    text = page(client, wave)
    numbers = shown_numbers(text)
    assert sorted(numbers) == list(range(10))
    assert numbers != list(range(10))  # a keyed shuffle, not the order of sending (1 chance in 3.6 million)
    for org in orgs.values():
        assert org.name not in text
    assert "10 Jan" not in text and "2026-01-10" not in text  # the day the answers were sent
    pks = {str(pk) for pk in Response.objects.filter(wave=wave).values_list("pk", flat=True)}
    assert all(re.fullmatch(r"[0-9a-f]{24}", ref) and ref not in pks for ref in refs(text))


def test_words_removed_through_the_page_are_gone_from_the_comment_and_the_release(client: Any) -> None:
    wave, _ = setup(client, 5, one_org=True)  # one group of five, so its comments are released
    text = page(client, wave)
    ref = refs(text)[shown_numbers(text).index(3)]
    url = reverse("assessments:comments", args=[wave.pk])
    done = client.post(url, {"ref": ref, "remove": SECRET}, follow=True)
    assert done.status_code == 200
    after = done.content.decode()
    assert f"comment number 3 about {MARKER}" in after
    assert "Done: the words now read" in after
    assert after.count(SECRET) == 4  # the other comments are untouched
    released = [c["text"] for c in wave_results_compute(wave=wave).comments]
    assert f"comment number 3 about {MARKER}" in released
    assert not any("comment number 3 about Dr" in t for t in released)


def test_bad_requests_say_what_is_wrong_and_change_nothing(client: Any) -> None:
    wave, _ = setup(client, 5)
    text = page(client, wave)
    ref = refs(text)[0]
    url = reverse("assessments:comments", args=[wave.pk])
    before = sorted(Response.objects.filter(wave=wave).values_list("comments", flat=True), key=str)

    empty = client.post(url, {"ref": ref, "remove": "  "})
    assert empty.status_code == 400 and "Type the words to remove." in empty.content.decode()
    missing = client.post(url, {"ref": ref, "remove": "Nobody at all"})
    assert missing.status_code == 400
    assert "Those words are not in the comment. Copy them exactly as written." in missing.content.decode()
    for bad in ("", "0" * 24, "<script>", "x" * 5000):
        gone = client.post(url, {"ref": bad, "remove": SECRET}, follow=True)
        assert gone.status_code == 200
        assert "That comment is no longer waiting" in gone.content.decode()
    wave_results_compute(wave=wave)  # released: the old reference no longer names a waiting comment
    late = client.post(url, {"ref": ref, "remove": SECRET}, follow=True)
    assert "That comment is no longer waiting" in late.content.decode()
    assert sorted(Response.objects.filter(wave=wave).values_list("comments", flat=True), key=str) == before


@pytest.mark.parametrize("role", ["member", "evaluator", "observer", "representative"])
def test_only_coordinators_may_read_or_redact(client: Any, role: str) -> None:
    wave, orgs = setup(client, 5, role="coordinator")
    other = UserFactory()
    grant(
        other, wave.partnership, role, **({"organisation": orgs["trust"]} if role == "representative" else {})
    )
    client.force_login(other)
    url = reverse("assessments:comments", args=[wave.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"ref": "x", "remove": SECRET}).status_code == 403
    results = client.get(reverse("assessments:results", args=[wave.pk])).content.decode()
    assert url not in results


def test_the_results_page_links_coordinators_to_the_waiting_comments(client: Any) -> None:
    wave, _ = setup(client, 5)
    wave_results_compute(wave=wave)
    results = client.get(reverse("assessments:results", args=[wave.pk])).content.decode()
    assert reverse("assessments:comments", args=[wave.pk]) in results


def test_the_page_costs_the_same_queries_for_five_comments_or_a_hundred(client: Any) -> None:
    wave, orgs = setup(client, 5)
    page(client, wave)
    with CaptureQueriesContext(connection) as few:
        page(client, wave)
    for i in range(95):
        add_answers(
            wave, orgs["charity"], 1, comment=f"comment number {i + 5} about x", seed=i, compute=False
        )
    with CaptureQueriesContext(connection) as many:
        assert len(shown_numbers(page(client, wave))) == 50  # a page of them
    assert len(many) == len(few)
