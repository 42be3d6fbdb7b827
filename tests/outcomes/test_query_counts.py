"""Every indicator page and API list costs the same number of queries for 5 indicators or measurements as for 50;
so do the partnership page's section, the timeline, "needs you" and the place page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.core.registry import needs_for, timeline_for
from joinedup.outcomes import services
from joinedup.outcomes.periods import add_months
from tests.outcomes.helpers import TODAY, make_indicator
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return make_indicator()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_indicators(setup):
    made = []

    def add(n: int) -> None:
        for _ in range(n):
            other = make_indicator(setup.place, title=f"Indicator {len(made)}")
            services.measurement_record(
                by=setup.coordinator,
                indicator=other.indicator,
                period=datetime.date(2024, 1, 1),
                value=1.0,
                today=TODAY,
            )
            services.measurement_record(
                by=setup.coordinator,
                indicator=other.indicator,
                period=datetime.date(2024, 1, 1),
                value=2.0,
                today=TODAY,
            )
            made.append(other)

    return add


def add_measurements(setup):
    state = {"n": 0}

    def add(n: int) -> None:
        for _ in range(n):
            period = add_months(datetime.date(2010, 1, 1), 3 * state["n"])
            state["n"] += 1
            services.measurement_record(
                by=setup.coordinator,
                indicator=setup.indicator,
                period=period,
                value=float(state["n"] % 7),
                today=TODAY,
            )
            if state["n"] % 5 == 0:  # corrections too: they show in the history
                services.measurement_record(
                    by=setup.coordinator, indicator=setup.indicator, period=period, value=99.0, today=TODAY
                )
            if state["n"] % 9 == 0:
                services.indicator_rebase(
                    by=setup.coordinator,
                    indicator=setup.indicator,
                    period=period,
                    reason=f"Change {state['n']}",
                )

    return add


def test_the_partnership_indicator_list(setup):
    client = client_for(setup.coordinator)
    url = reverse("outcomes:partnership", args=[setup.place.partnership.pk])
    assert_num_queries_stable(client, url, setup=add_indicators(setup))


def test_the_partnership_page_with_its_section_and_timeline(setup):
    client = client_for(setup.coordinator)
    url = reverse("register:partnership_detail", args=[setup.place.partnership.pk])
    assert_num_queries_stable(client, url, setup=add_indicators(setup))


def test_the_indicator_page(setup):
    client = client_for(setup.coordinator)
    url = reverse("outcomes:indicator", args=[setup.indicator.pk])
    assert_num_queries_stable(client, url, setup=add_measurements(setup))


def test_the_api_list_and_series(setup):
    client = client_for(setup.coordinator)
    assert_num_queries_stable(
        client, f"/api/v1/partnerships/{setup.place.partnership.pk}/indicators", setup=add_indicators(setup)
    )
    assert_num_queries_stable(
        client, f"/api/v1/indicators/{setup.indicator.pk}/series", setup=add_measurements(setup)
    )


def test_the_timeline_and_needs(setup):
    rep = setup.place.reps[setup.place.orgs[0].pk]
    add = add_indicators(setup)
    assert_num_queries_stable(
        lambda: timeline_for(user=setup.coordinator, partnership=setup.place.partnership), setup=add
    )
    assert_num_queries_stable(lambda: needs_for(user=rep, today=TODAY), setup=add)


def test_needs_name_the_missing_quarter_for_the_owner_representative(setup):
    rep = setup.place.reps[setup.place.orgs[0].pk]
    found = [n for n in needs_for(user=rep, today=TODAY) if n.url.startswith("/outcomes/")]
    assert [n.title for n in found] == ["Record Seen within two weeks for Jul to Sep 2026"]
    assert found[0].overdue is True  # 45 days after the end of September
    services.measurement_record(
        by=rep, indicator=setup.indicator, period=datetime.date(2026, 7, 1), value=3.0, today=TODAY
    )
    assert not [n for n in needs_for(user=rep, today=TODAY) if n.url.startswith("/outcomes/")]
    other_rep = setup.place.reps[setup.place.orgs[1].pk]
    assert not [n for n in needs_for(user=other_rep, today=TODAY) if n.url.startswith("/outcomes/")]
