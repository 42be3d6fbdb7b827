"""The assessment results page, its CSV and the results API cost the same for 5 organisations or waves, or 50."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from joinedup.assessments.services import wave_results_compute
from tests.assessments.helpers import add_answers, make_wave
from tests.conftest import grant
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.factories import WaveResultFactory as ResultFactory
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(client: Any) -> Any:
    """An assessment wave with results, seen by a coordinator of its partnership."""
    partnership = PartnershipFactory()
    user = UserFactory()
    grant(user, partnership, "coordinator")
    client.force_login(user)
    wave = make_wave(partnership, opens=datetime.date(2026, 6, 1), closes=datetime.date(2026, 7, 1))
    add_answers(wave, OrganisationFactory(), 5)
    return wave


def add_organisations(wave: Any) -> Any:
    """Member organisations with five answers each (enough to be shown in the breakdown)."""

    def add(n: int) -> None:
        for i in range(n):
            org = MembershipFactory(
                partnership=wave.partnership, organisation=OrganisationFactory()
            ).organisation
            add_answers(wave, org, 5, seed=i, compute=False)
        wave_results_compute(wave=wave)

    return add


def add_earlier_waves(wave: Any) -> Any:
    """Earlier waves of the same instrument with results, for the trend."""

    def add(n: int) -> None:
        result = wave.result
        for _ in range(n):
            earlier = make_wave(wave.partnership)
            ResultFactory(wave=earlier, report=result.report, items=result.items, comments=result.comments)

    return add


@pytest.mark.parametrize(
    "url",
    ["assessments:results", "assessments:results_csv", "/api/v1/waves/{}/results"],
)
def test_results_for_many_organisations(client: Any, wave: Any, url: str) -> None:
    path = url.format(wave.pk) if url.startswith("/") else reverse(url, args=[wave.pk])
    assert_num_queries_stable(client, path, setup=add_organisations(wave))


@pytest.mark.parametrize(
    "url",
    ["assessments:results", "/api/v1/waves/{}/results"],
)
def test_results_with_many_earlier_waves(client: Any, wave: Any, url: str) -> None:
    path = url.format(wave.pk) if url.startswith("/") else reverse(url, args=[wave.pk])
    assert_num_queries_stable(client, path, setup=add_earlier_waves(wave))
    if not url.startswith("/"):
        assert client.get(path).context["series"][-1][0] == wave  # the trend runs up to this wave
        assert len(client.get(path).context["series"]) == 51
