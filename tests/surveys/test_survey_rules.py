"""Survey rules (issue 11, part 4): the closing date is enforced, open links are throttled, and open-link answers
never sent are cleaned up by the scheduled housekeeping job (and its command)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from joinedup.core.jobs import RUNNERS
from joinedup.core.models import AuditEvent
from joinedup.surveys import services
from joinedup.surveys.choices import WaveStatus
from joinedup.surveys.jobs import HOUSEKEEPING_JOB
from joinedup.surveys.models import Response, Wave
from tests.assessments.helpers import make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


def closed_in_2020(partnership: Any) -> tuple[Wave, str]:
    wave = make_wave(partnership, opens=datetime.date(2020, 1, 6), closes=datetime.date(2020, 2, 28))
    token = services.wave_open(by=None, wave=wave, open_link=True)
    assert token is not None
    return wave, token


def test_a_wave_past_its_closing_date_takes_no_answers_and_says_so_plainly(client: Any) -> None:
    partnership, orgs = partnership_with_members()
    wave, token = closed_in_2020(partnership)
    page = client.get(f"/s/{token}/")
    assert page.status_code == 410
    text = page.content.decode()
    assert "This survey has closed" in text and "28 February 2020" in text
    posted = client.post(f"/s/{token}/", {"organisation": orgs["trust"].pk})
    assert posted.status_code == 410
    assert not Response.objects.filter(wave=wave).exists()
    with pytest.raises(ValidationError, match="has closed"):
        services.response_start(wave=wave)


def test_answers_started_before_the_closing_date_cannot_be_changed_or_sent_after_it() -> None:
    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership)
    services.wave_open(by=None, wave=wave)
    response, _resume = services.response_start(wave=wave)
    Wave.objects.filter(pk=wave.pk).update(closes=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="has closed"):
        services.response_save(response=response, answers={"x": 1})
    with pytest.raises(ValidationError, match="has closed"):
        services.response_submit(response=response)
    with pytest.raises(ValidationError, match="has closed"):
        services.response_describe(response=response, organisation=None)
    response.refresh_from_db()
    assert response.answers == {} and response.submitted_at is None


def test_the_closing_day_itself_still_takes_answers() -> None:
    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership, opens=datetime.date(2020, 1, 1), closes=timezone.localdate())
    services.wave_open(by=None, wave=wave)
    response, _ = services.response_start(wave=wave)
    assert services.response_submit(response=response).submitted_at is not None


def test_the_wave_page_shows_a_wave_past_its_date_closed_without_writing_anything(client: Any) -> None:
    partnership, _orgs = partnership_with_members()
    wave, _token = closed_in_2020(partnership)
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    client.force_login(coordinator)
    events = AuditEvent.objects.count()
    page = client.get(reverse("surveys:wave_detail", args=[wave.pk])).content.decode()
    assert "Closed (its closing date has passed" in page
    assert "Remind people who have not answered" not in page and "Invite people" not in page
    listing = client.get(reverse("surveys:wave_list", args=[partnership.pk])).content.decode()
    assert "Closed" in listing and "Open</td>" not in listing
    wave.refresh_from_db()
    assert wave.status == WaveStatus.OPEN and AuditEvent.objects.count() == events  # reads don't write


def test_housekeeping_closes_overdue_waves_once_and_the_command_says_what_it_did() -> None:
    partnership, _orgs = partnership_with_members()
    wave, _token = closed_in_2020(partnership)
    current = make_wave(partnership)
    services.wave_open(by=None, wave=current)
    dry = io.StringIO()
    call_command("survey-housekeeping", "--dry-run", stdout=dry)
    assert "Would close 1 wave past their closing date: Health check 2026" in dry.getvalue()
    assert Wave.objects.get(pk=wave.pk).status == WaveStatus.OPEN
    out = io.StringIO()
    call_command("survey-housekeeping", stdout=out)
    assert "Closed 1 wave" in out.getvalue()
    wave.refresh_from_db()
    assert wave.status == WaveStatus.CLOSED and wave.open_link_hash == ""
    assert Wave.objects.get(pk=current.pk).status == WaveStatus.OPEN
    event = AuditEvent.objects.get(verb="wave.closed", target_id=str(wave.pk))
    assert event.actor is None and event.data == {"reason": "Its closing date had passed."}
    call_command("survey-housekeeping", stdout=io.StringIO())
    assert AuditEvent.objects.filter(verb="wave.closed").count() == 1  # nothing to do: nothing recorded
    assert RUNNERS[HOUSEKEEPING_JOB].every == datetime.timedelta(minutes=15)


def test_open_link_answers_never_sent_are_deleted_after_a_while_and_nothing_else() -> None:
    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership)
    services.wave_open(by=None, wave=wave)
    invitation = services.invitations_send(
        by=None, wave=wave, recipients=[services.Recipient("a@example.org")], link_for=lambda t: t
    )[0]
    abandoned, _ = services.response_start(wave=wave)
    recent, _ = services.response_start(wave=wave)
    sent, _ = services.response_start(wave=wave)
    services.response_submit(response=sent)
    invited, _ = services.response_start(wave=wave, invitation=invitation, token="a-token")
    long_ago = timezone.now() - datetime.timedelta(days=8)
    Response.objects.filter(pk__in=[abandoned.pk, sent.pk, invited.pk]).update(updated_at=long_ago)
    call_command("survey-housekeeping", stdout=io.StringIO())
    assert set(Response.objects.values_list("pk", flat=True)) == {recent.pk, sent.pk, invited.pk}


def about_you(client: Any, token: str, organisation: Any, address: str) -> int:
    return client.post(f"/s/{token}/", {"organisation": organisation.pk}, REMOTE_ADDR=address).status_code


def test_an_open_link_is_throttled_per_client_and_per_link(client: Any, settings: Any) -> None:
    settings.SURVEY_OPEN_LINK_STARTS_PER_CLIENT = 3
    settings.SURVEY_OPEN_LINK_STARTS_PER_LINK = 6
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership)
    token = services.wave_open(by=None, wave=wave, open_link=True)
    assert token is not None
    assert [about_you(client, token, orgs["trust"], "203.0.113.9") for _ in range(4)] == [302, 302, 302, 429]
    refused = client.post(f"/s/{token}/", {"organisation": orgs["trust"].pk}, REMOTE_ADDR="203.0.113.9")
    assert "Please try again later" in refused.content.decode()
    assert Response.objects.filter(wave=wave).count() == 3  # a refused step creates no row
    # Another client may still start, until the link's own limit is reached (six tries so far, refused included).
    assert [about_you(client, token, orgs["council"], "198.51.100.7") for _ in range(3)] == [302, 429, 429]
    assert Response.objects.filter(wave=wave).count() == 4
    # No address is stored with the answers, in any column.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_response")
        rows = cursor.fetchall()
    assert rows and not any("203.0.113.9" in str(row) or "198.51.100.7" in str(row) for row in rows)
    # Nor in the throttle's counters: the client is only a keyed hash there.
    assert not any("203.0.113" in key or "198.51.100" in key for key in cache._cache)  # type: ignore[attr-defined]
