"""A large wave's network page is analysed as a background job with progress, and the finished analysis is
reused until the wave's answers change; small waves are analysed in the request as before."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.networks import selectors
from joinedup.networks.selectors import WAVE_JOB
from tests.api_helpers import unfigure
from tests.conftest import grant
from tests.factories import UserFactory
from tests.networks.helpers import relationship_wave
from tests.networks.test_api import signed_in, small_wave, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the four-organisation test wave count as large."""
    monkeypatch.setattr(selectors, "LARGE_WAVE", 3)


def page(client: Any, callbacks: Any, wave: Any, **params: Any) -> Any:
    with callbacks(execute=True):  # the job, queued by the request, runs when its transaction commits
        return client.get(f"/networks/waves/{wave.pk}/", params)


def test_a_large_wave_shows_progress_then_the_same_network_as_in_the_request(
    client, large, django_capture_on_commit_callbacks, monkeypatch
):
    wave, _ = small_wave()
    signed_in(client, wave.partnership)
    first = page(client, django_capture_on_commit_callbacks, wave)
    assert first.status_code == 202
    text = first.content.decode()
    assert "worked out in the background" in text and "Check progress again" in text
    job = Job.objects.get(kind=WAVE_JOB)
    assert job.status == JobStatus.DONE, job.error
    assert job.total == 4 and job.done == 4 and job.partnership == wave.partnership  # organisations done
    shown = client.get(f"/networks/waves/{wave.pk}/")
    assert shown.status_code == 200
    direct = selectors.wave_network(wave=wave)
    assert shown.context["metrics"] == direct.metrics.network
    assert shown.context["rows"] == direct.organisation_rows()
    assert shown.context["network"].response_rate == direct.response_rate == 0.75
    # the map drawn from the job's stored layout is the map drawn in the request
    monkeypatch.setattr(selectors, "LARGE_WAVE", 10_000)
    in_request = client.get(f"/networks/waves/{wave.pk}/")
    assert in_request.status_code == 200 and shown.context["spec"] == in_request.context["spec"]
    assert Job.objects.filter(kind=WAVE_JOB).count() == 1  # reused, not run again


def test_a_new_answer_or_other_filters_mean_a_new_analysis(client, large, django_capture_on_commit_callbacks):
    wave, (a, b, c, d) = relationship_wave()  # as small_wave, but d is not invited yet
    submit(wave, a, [b, c])
    submit(wave, b, [a], frequency=1, exchanges=("planning",))
    submit(wave, c, [b])
    signed_in(client, wave.partnership)
    page(client, django_capture_on_commit_callbacks, wave)
    assert page(client, django_capture_on_commit_callbacks, wave).status_code == 200
    filtered = page(client, django_capture_on_commit_callbacks, wave, min_frequency=3)
    assert filtered.status_code == 202 and Job.objects.filter(kind=WAVE_JOB).count() == 2
    after = client.get(f"/networks/waves/{wave.pk}/", {"min_frequency": 3})
    assert (
        after.context["metrics"]["ties"]
        == 3
        == selectors.wave_network(wave=wave, min_frequency=3).metrics.network["ties"]
    )
    submit(wave, d, [a])  # d answers at last
    assert page(client, django_capture_on_commit_callbacks, wave).status_code == 202
    assert Job.objects.filter(kind=WAVE_JOB).count() == 3
    now = client.get(f"/networks/waves/{wave.pk}/")
    assert now.context["network"].response_rate == 1.0 and now.context["metrics"]["ties"] == 5


def test_progress_is_polled_at_the_page_address_by_anyone_who_may_see_it(client, large):
    wave, _ = small_wave()
    signed_in(client, wave.partnership)
    waiting = client.get(f"/networks/waves/{wave.pk}/")  # the job stays queued: no commit in this test
    assert waiting.status_code == 202
    job = Job.objects.get(kind=WAVE_JOB)
    assert job.status == JobStatus.QUEUED
    member = UserFactory()
    grant(member, wave.partnership, "member")
    client.force_login(member)
    poll = client.get(f"/networks/waves/{wave.pk}/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "<html" not in poll.content.decode()
    assert Job.objects.filter(kind=WAVE_JOB).count() == 1  # the same waiting job, not another
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, result=selectors.wave_network(wave=wave).to_dict() | {"positions": None}
    )
    ended = client.get(f"/networks/waves/{wave.pk}/", HTTP_HX_REQUEST="true")
    assert ended.status_code == 286  # htmx stops polling
    assert client.get(f"/networks/waves/{wave.pk}/").status_code == 200


def test_a_failed_analysis_says_why_and_can_be_tried_again(client, large, django_capture_on_commit_callbacks):
    wave, _ = small_wave()
    signed_in(client, wave.partnership)
    client.get(f"/networks/waves/{wave.pk}/")
    Job.objects.filter(kind=WAVE_JOB).update(status=JobStatus.FAILED, error="The disk was full.")
    failed = client.get(f"/networks/waves/{wave.pk}/")
    assert failed.status_code == 202 and "The disk was full." in failed.content.decode()
    assert "Try again" in failed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/networks/waves/{wave.pk}/")
    assert again.status_code == 302 and Job.objects.filter(kind=WAVE_JOB).count() == 2
    assert client.get(f"/networks/waves/{wave.pk}/").status_code == 200


def test_small_waves_are_analysed_in_the_request(client):
    wave, _ = small_wave()
    signed_in(client, wave.partnership)
    assert client.get(f"/networks/waves/{wave.pk}/").status_code == 200
    assert not Job.objects.filter(kind=WAVE_JOB).exists()


def test_the_stored_network_round_trips():
    wave, _ = small_wave()
    network = selectors.wave_network(wave=wave)
    again = selectors.WaveNetwork.from_dict(wave, network.to_dict())
    assert again.organisation_rows() == network.organisation_rows()
    assert again.metrics.network == network.metrics.network and again.tie_pairs() == network.tie_pairs()
    assert selectors.wave_size(wave=wave) == len(network.nodes) == 4


def test_the_api_answers_202_with_progress_until_the_analysis_is_done(
    client, large, django_capture_on_commit_callbacks
):
    wave, _ = small_wave()
    signed_in(client, wave.partnership)
    url = f"/api/v1/networks/waves/{wave.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url)
    assert waiting.status_code == 202
    assert waiting.json() == {"status": "queued", "percent": 0, "message": "", "error": ""}
    done = client.get(url)
    assert done.status_code == 200 and Job.objects.filter(kind=WAVE_JOB).count() == 1
    assert unfigure(done.json())["network"] == {
        **selectors.wave_network(wave=wave).metrics.network,
        "tie_rows": 4,
    }
    assert client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/networks/waves/{wave_id}"]["get"][
        "responses"
    ].keys() >= {"200", "202"}


def test_the_compare_page_waits_for_the_analyses_of_large_waves(
    client, large, django_capture_on_commit_callbacks
):
    first, (a, b, c, _) = relationship_wave(title="Wave 1")
    second, _ = relationship_wave(title="Wave 2", partnership=first.partnership)
    submit(first, a, [b])
    submit(first, b, [a])
    submit(second, a, [c])
    submit(second, b, [a])
    signed_in(client, first.partnership)
    url = f"/networks/partnerships/{first.partnership_id}/compare/"
    params = {"before": first.pk, "after": second.pk}
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get(url, params)
    text = waiting.content.decode()
    assert waiting.status_code == 202 and "Being analysed" in text
    assert text.count('class="app-job"') == 2 and f"progress={second.pk}" in text
    assert Job.objects.filter(kind=WAVE_JOB).count() == 2
    poll = client.get(url, {**params, "progress": second.pk}, HTTP_HX_REQUEST="true")
    assert poll.status_code == 286 and f"?before={first.pk}&amp;after={second.pk}" in poll.content.decode()
    shown = client.get(url, params)
    assert shown.status_code == 200
    ties = shown.context["ties"]
    assert ties.gained == [(a.pk, c.pk)] and ties.lost == [(a.pk, b.pk)] and ties.kept == [(b.pk, a.pk)]
    assert f"{a.name} now names {c.name}" in shown.content.decode()
    assert Job.objects.filter(kind=WAVE_JOB).count() == 2  # the wave pages will reuse them too
    assert client.get(f"/networks/waves/{second.pk}/").status_code == 200
    assert Job.objects.filter(kind=WAVE_JOB).count() == 2


def test_the_api_compare_answers_202_until_both_analyses_are_done(
    client, large, django_capture_on_commit_callbacks
):
    first, (a, b, c, _) = relationship_wave(title="Wave 1")
    second, _ = relationship_wave(title="Wave 2", partnership=first.partnership)
    submit(first, a, [b])
    submit(second, a, [c])
    signed_in(client, first.partnership)
    params = {"from": first.pk, "to": second.pk}
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.get("/api/v1/networks/compare", params)
    assert waiting.status_code == 202 and waiting.json()["status"] == "queued"
    done = client.get("/api/v1/networks/compare", params)
    assert done.status_code == 200
    assert done.json()["ties"] == {"gained": 1, "lost": 1, "kept": 0, "not_comparable": 0}
    assert Job.objects.filter(kind=WAVE_JOB).count() == 2
