"""Answering by the short link, without an account: what is stored (raw SQL, every column: no address, user,
session or time), the honeypot, the rate limit, and screening of the free text."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from joinedup.voice.models import FeedbackComment, FeedbackResponse
from tests.factories import AffiliationFactory, MembershipFactory, PersonFactory
from tests.surveys.test_anonymity import is_time, rows
from tests.voice.helpers import feedback_setup

pytestmark = pytest.mark.django_db

ANSWER = {
    "overall": "very_good",
    "comments": "Dr Patel and Amy Okafor listened. Ring me on 07700 900123 or write to me@example.org.",
    "listened": "strongly_agree",
    "together": "disagree",
    "dignity": "dont_know",
}


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def test_a_person_answers_without_an_account_and_nothing_ties_the_answer_to_them(client: Any) -> None:
    _partnership, _coordinator, form = feedback_setup()
    audit_before = {r["id"] for r in rows("core_auditevent")}
    page = client.get(f"/f/{form.code}/")
    assert page.status_code == 200
    assert "Overall, how was your experience of Community mental health team?" in page.content.decode()
    sent = client.post(f"/f/{form.code}/", ANSWER, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Phone 1.0")
    assert sent.status_code == 302 and sent.url == f"/f/{form.code}/thanks/"

    (stored,) = rows("voice_feedbackresponse")
    assert set(stored) == {"id", "form_id", "submitted_on", "overall", "statements"}
    assert [name for name, value in stored.items() if is_time(value)] == []
    assert str(stored["submitted_on"]) == datetime.date.today().isoformat()
    assert stored["overall"] == "very_good"
    assert json.loads(stored["statements"]) if isinstance(stored["statements"], str) else stored["statements"]
    (comment,) = rows("voice_feedbackcomment")
    assert comment["moderated_by_id"] is None and comment["moderated_on"] is None
    assert [name for name, value in comment.items() if is_time(value)] == []
    # Nowhere in the database holds the address, the browser or a session.
    for table in connection.introspection.table_names():
        dumped = json.dumps(rows(table), default=str)
        assert "203.0.113.9" not in dumped and "Phone 1.0" not in dumped, table
    assert rows("django_session") == []
    # Sending writes no audit event (it would carry a time).
    assert {r["id"] for r in rows("core_auditevent")} == audit_before


def test_screening_takes_out_names_contacts_and_links_and_keeps_the_original_for_moderators(
    client: Any,
) -> None:
    partnership, _coordinator, form = feedback_setup()
    membership = MembershipFactory(partnership=partnership)
    AffiliationFactory(person=PersonFactory(name="Amy Okafor"), organisation=membership.organisation)
    client.post(f"/f/{form.code}/", ANSWER)
    comment = FeedbackComment.objects.get()
    assert "Patel" not in comment.text and "Okafor" not in comment.text
    assert "07700" not in comment.text and "me@example.org" not in comment.text
    assert comment.text.startswith("[name removed] and [name removed] listened.")
    assert set(comment.flags) == {"name", "phone", "email"}
    assert comment.original == ANSWER["comments"]
    assert comment.status == "waiting"


def test_the_honeypot_takes_nothing_and_looks_like_success(client: Any) -> None:
    _partnership, _coordinator, form = feedback_setup()
    sent = client.post(f"/f/{form.code}/", {**ANSWER, "website": "http://spam.example"})
    assert sent.status_code == 302 and sent.url.endswith("/thanks/")
    assert FeedbackResponse.objects.count() == 0


@override_settings(FEEDBACK_ANSWERS_PER_CLIENT=2, FEEDBACK_ANSWERS_PER_LINK=3)
def test_answers_are_limited_per_client_and_per_link(client: Any) -> None:
    _partnership, _coordinator, form = feedback_setup()
    codes = [
        client.post(f"/f/{form.code}/", ANSWER, REMOTE_ADDR="198.51.100.1").status_code for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    other = client.post(f"/f/{form.code}/", ANSWER, REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 429  # the link's limit (3 counted) is reached too
    assert FeedbackResponse.objects.count() == 2
    # the counter's key holds a keyed hash, never the address
    assert not any("198.51.100" in str(key) for key in getattr(cache, "_cache", {}))


def test_a_form_without_the_overall_answer_says_what_is_missing(client: Any) -> None:
    _partnership, _coordinator, form = feedback_setup()
    page = client.post(f"/f/{form.code}/", {"comments": "Fine"})
    assert page.status_code == 200
    assert "Choose how your experience was overall" in page.content.decode()
    assert 'href="#overall"' in page.content.decode()
    assert FeedbackResponse.objects.count() == 0


def test_an_unknown_code_is_not_found_and_a_closed_form_says_so(client: Any) -> None:
    _partnership, coordinator, form = feedback_setup()
    assert client.get("/f/nosuch/").status_code == 404
    from joinedup.voice import services

    services.form_update(by=coordinator, form=form, fields={"is_open": False})
    assert client.get(f"/f/{form.code}/").status_code == 410


def test_the_same_page_sent_twice_keeps_the_answers_once_and_dates_nothing_closer_than_the_day(
    client: Any,
) -> None:
    _partnership, _coordinator, form = feedback_setup()
    page = client.get(f"/f/{form.code}/").content.decode()
    once = page.split('name="once" value="', 1)[1].split('"', 1)[0]
    assert len(once) >= 16
    for _ in range(2):  # a double tap, or a retry after the connection dropped before the answer came
        sent = client.post(f"/f/{form.code}/", {**ANSWER, "once": once})
        assert sent.status_code == 302 and sent.url == f"/f/{form.code}/thanks/"
    assert FeedbackResponse.objects.count() == 1
    (kept,) = rows("core_idempotentrequest")
    assert str(kept["created_at"]).endswith(("00:00:00+00:00", "00:00:00")), kept  # the day, not the time
    second = (
        client.get(f"/f/{form.code}/").content.decode().split('name="once" value="', 1)[1].split('"', 1)[0]
    )
    assert second != once  # each showing of the page is a new answer
    client.post(f"/f/{form.code}/", {**ANSWER, "once": second})
    client.post(f"/f/{form.code}/", ANSWER)  # a page without the value (an old tab) is still kept
    assert FeedbackResponse.objects.count() == 3


def test_a_made_up_once_value_is_dropped_and_the_answers_still_kept(client: Any) -> None:
    _partnership, _coordinator, form = feedback_setup()
    sent = client.post(f"/f/{form.code}/", {**ANSWER, "once": "<script>" * 20})
    assert sent.status_code == 302 and FeedbackResponse.objects.count() == 1
    assert rows("core_idempotentrequest") == []
