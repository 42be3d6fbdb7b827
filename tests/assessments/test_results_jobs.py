"""Rescoring a wave runs as a background job: answers arriving together are scored once more, not once each;
the results page shows the last results and the progress of the update; a wave never scored shows progress."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from joinedup.assessments.models import WaveResult
from joinedup.assessments.services import RESULTS_JOB, responses_import, wave_results_compute
from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.surveys import services as survey_services
from tests.api_helpers import reasons, unfigure
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import UserFactory

DATABASE_QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0")


def answers_row(wave: Any, organisation: Any, level: int) -> dict[str, Any]:
    keys = [item["key"] for d in wave.instrument["dimensions"] for item in d["items"]]
    return {"answers": dict.fromkeys(keys, level), "organisation": organisation}


def coordinator_of(partnership: Any, client: Any) -> Any:
    user = UserFactory()
    grant(user, partnership, "coordinator")
    client.force_login(user)
    return user


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as between requests
@DATABASE_QUEUE
@override_settings(RESULTS_RELEASE_INTERVAL_HOURS=0)
def test_answers_arriving_together_are_scored_once_more_in_the_background(client: Any) -> None:
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 6, level=2)  # scored
    coordinator_of(partnership, client)

    for _ in range(3):  # three imports before any worker runs: the third brings k = 5 new answers
        responses_import(by=None, wave=wave, rows=[answers_row(wave, orgs["trust"], 5)] * 2, source="paper")
        if not Job.objects.filter(kind=RESULTS_JOB).exists():
            assert (
                "Results update when"
                in client.get(reverse("assessments:results", args=[wave.pk])).content.decode()
            )
    (job,) = Job.objects.filter(kind=RESULTS_JOB)
    # one task for it (the flags' recompute has its own job and task)
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()].count([str(job.pk)]) == 1
    assert WaveResult.objects.get(wave=wave).respondents == 6  # not scored in the request

    page = client.get(reverse("assessments:results", args=[wave.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "6 people sent answers" in text  # the last results, still shown
    assert "They are being added now." in text
    progress_url = reverse("assessments:results_progress", args=[wave.pk])
    assert f'hx-get="{progress_url}"' in text

    run_worker()
    assert WaveResult.objects.get(wave=wave).respondents == 12
    ended = client.get(progress_url, headers={"HX-Request": "true"})
    assert ended.status_code == 286
    assert reverse("assessments:results", args=[wave.pk]) in ended.content.decode()
    page = client.get(reverse("assessments:results", args=[wave.pk])).content.decode()
    assert "12 people sent answers" in page
    assert "being added now" not in page


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_a_wave_never_scored_shows_progress_not_a_long_wait(client: Any) -> None:
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 6)
    WaveResult.objects.filter(wave=wave).delete()  # as if loaded in bulk and never scored
    coordinator_of(partnership, client)

    page = client.get(reverse("assessments:results", args=[wave.pk]))
    assert page.status_code == 202
    assert "being scored" in page.content.decode()
    assert not WaveResult.objects.filter(wave=wave).exists()
    assert client.get(reverse("assessments:results_csv", args=[wave.pk])).status_code == 202
    api = client.get(f"/api/v1/waves/{wave.pk}/results")
    assert api.status_code == 503
    client.get(reverse("assessments:results", args=[wave.pk]))  # asking again queues nothing more
    assert Job.objects.filter(kind=RESULTS_JOB, status=JobStatus.QUEUED).count() == 1

    run_worker()
    assert client.get(reverse("assessments:results", args=[wave.pk])).status_code == 200
    assert unfigure(client.get(f"/api/v1/waves/{wave.pk}/results").json())["respondents"] == 6


@pytest.mark.django_db
def test_an_empty_wave_is_scored_at_once(client: Any) -> None:
    partnership, _ = partnership_with_members()
    wave = make_wave(partnership)
    coordinator_of(partnership, client)
    assert client.get(reverse("assessments:results", args=[wave.pk])).status_code == 200
    assert WaveResult.objects.get(wave=wave).respondents == 0
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_scoring_reports_its_progress_in_order() -> None:
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 25, compute=False)
    heard: list[tuple[int, int, str]] = []
    wave_results_compute(
        wave=wave, report=lambda done, total, message="": heard.append((done, total, message))
    )
    done = [step[0] for step in heard]
    assert done == sorted(done)
    assert heard[-1][:2] == (100, 100)
    assert {"Scoring", "Saved"} <= {step[2] for step in heard}


@pytest.mark.django_db
def test_the_progress_of_a_wave_is_only_for_those_who_may_see_it(client: Any) -> None:
    partnership, _ = partnership_with_members()
    wave = make_wave(partnership)
    client.force_login(UserFactory())
    assert client.get(reverse("assessments:results_progress", args=[wave.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
@override_settings(RESULTS_RELEASE_INTERVAL_HOURS=24 * 365)
def test_closing_a_wave_queues_its_last_release_when_k_new_answers_wait() -> None:
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 5)  # the first release
    add_answers(wave, orgs["council"], 5, compute=False)  # k new, but the next release is a year away
    survey_services.wave_open(by=None, wave=wave)
    survey_services.wave_close(by=None, wave=wave)  # the wave kind's on_close, after the commit

    assert Job.objects.filter(kind=RESULTS_JOB, key=f"wave:{wave.pk}", status=JobStatus.QUEUED).count() == 1
    assert (WaveResult.objects.get(wave=wave).release, WaveResult.objects.get(wave=wave).final) == (1, False)
    run_worker()
    result = WaveResult.objects.get(wave=wave)
    assert (result.release, result.respondents, result.final) == (2, 10, True)


@pytest.mark.django_db(transaction=True)
@DATABASE_QUEUE
def test_closing_a_wave_with_too_few_new_answers_makes_the_last_release_final_without_scoring() -> None:
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership)
    add_answers(wave, orgs["trust"], 5)
    add_answers(wave, orgs["council"], 4, compute=False)  # fewer than k: they never show
    survey_services.wave_open(by=None, wave=wave)
    survey_services.wave_close(by=None, wave=wave)

    assert not Job.objects.filter(kind=RESULTS_JOB).exists()
    result = WaveResult.objects.get(wave=wave)
    assert (result.release, result.respondents, result.final) == (1, 5, True)


@pytest.mark.django_db
def test_before_the_first_release_the_api_gives_no_count_of_the_answers_in(client: Any) -> None:
    """Fewer than k answers: the page says nobody's answers are shown, and the API must not say how many
    there are (one answer in, a count of 1 tells a colleague who answered when they see it go to 2)."""
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership)  # k = 5
    add_answers(wave, orgs["trust"], 3)
    coordinator_of(partnership, client)

    raw = client.get(f"/api/v1/waves/{wave.pk}/results").json()
    assert reasons(raw["dimensions"]) == {"not_released"}  # every figure null, saying why
    data = unfigure(raw)
    assert data["release"]["number"] == 0
    assert data["respondents"] == 0
    assert data["dimensions"] and all(
        d["mean"] is None and d["n"] in (0, None) for d in data["dimensions"]
    ), data["dimensions"][0]
    assert data["items"] == {}
