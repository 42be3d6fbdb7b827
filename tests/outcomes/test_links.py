"""Links through core.registry: an indicator serves an agreement's aims clause ("agreements.clause"), a rebase can
name a governance decision ("governance.decision", when registered), other apps find indicators
("outcomes.indicator"), signals reach the timeline and the place page links to the indicators."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from joinedup.agreements.choices import ClauseKind
from joinedup.core.registry import RecordKind, RecordRef, record_kinds, records_resolve, timeline_for
from joinedup.outcomes import selectors, services
from joinedup.outcomes.models import Rebase
from tests.agreements.helpers import CLAUSES, proposed_version, sign_all
from tests.outcomes.helpers import make_indicator, quarters, record

pytestmark = pytest.mark.django_db


def test_the_clause_options_are_the_current_version_s_aims_first_and_an_indicator_links_to_one():
    setup = make_indicator()
    place = setup.place
    version = proposed_version(place, clauses=[CLAUSES[1], CLAUSES[0]])  # governance, then aims
    sign_all(place, version)
    options = record_kinds.get("agreements.clause").options(partnership=place.partnership)
    assert "Aims and outcomes" in options[0].title and len(options) == 2
    services.indicator_edit(
        by=setup.coordinator,
        indicator=setup.indicator,
        fields={"clause_kind": "agreements.clause", "clause_id": options[0].id},
    )
    page = Client()
    page.force_login(setup.coordinator)
    text = page.get(reverse("outcomes:indicator", args=[setup.indicator.pk])).content.decode()
    assert options[0].title in text and options[0].url in text
    assert version.clauses.get(kind=ClauseKind.AIMS).pk == options[0].id


def test_a_clause_of_another_partnership_is_refused():
    setup = make_indicator()
    other = make_indicator()
    version = proposed_version(other.place, clauses=[CLAUSES[0]])
    with pytest.raises(ValidationError) as caught:
        services.indicator_edit(
            by=setup.coordinator,
            indicator=setup.indicator,
            fields={"clause_kind": "agreements.clause", "clause_id": version.clauses.get().pk},
        )
    assert "clause_id" in caught.value.message_dict


@pytest.fixture
def decisions():
    """A stand-in for the governance app's record kind."""
    refs = {}

    def options(*, partnership):
        return [r for r in refs.values() if r.partnership_id == partnership.pk]

    def resolve(*, ids):
        return [refs[i] for i in ids if i in refs]

    real = record_kinds.get("governance.decision")  # governance's own, once it is installed: put back after
    record_kinds.remove("governance.decision")
    record_kinds.add(
        RecordKind(key="governance.decision", label="Decision", options=options, resolve=resolve)
    )
    try:
        yield refs
    finally:
        record_kinds.remove("governance.decision")
        if real is not None:
            record_kinds.add(real)


def test_a_rebase_may_name_a_decision_when_governance_registers_them(decisions):
    setup = make_indicator()
    record(setup, [1, 2, 3, 4])
    decisions[7] = RecordRef(
        "governance.decision", 7, "Board decision 12: open six hubs", "/g/7/", setup.place.partnership.pk
    )
    client = Client()
    client.force_login(setup.coordinator)
    url = reverse("outcomes:rebase", args=[setup.indicator.pk])
    assert "Board decision 12: open six hubs" in client.get(url).content.decode()
    period = quarters(3)[2]
    answer = client.post(url, {"period": period.isoformat(), "reason": "Hubs opened", "decision_id": "7"})
    assert answer.status_code == 302
    assert (Rebase.objects.get().decision_kind, Rebase.objects.get().decision_id) == (
        "governance.decision",
        7,
    )
    text = client.get(reverse("outcomes:indicator", args=[setup.indicator.pk])).content.decode()
    assert 'href="/g/7/"' in text


def test_other_apps_resolve_indicators_and_the_timeline_shows_signals():
    setup = make_indicator()
    record(setup, [19.6, 13.8, 14.2, 14.6, 15.9, 17.1, 18.2, 18.9])
    found = records_resolve([("outcomes.indicator", setup.indicator.pk), ("outcomes.indicator", 0)])
    assert list(found) == [("outcomes.indicator", setup.indicator.pk)]
    assert (
        found[("outcomes.indicator", setup.indicator.pk)].url == f"/outcomes/indicators/{setup.indicator.pk}/"
    )
    options = selectors.record_options(partnership=setup.place.partnership)
    assert [r.title for r in options] == ["Seen within two weeks"]
    signals = [
        e
        for e in timeline_for(user=setup.coordinator, partnership=setup.place.partnership)
        if e.kind == "Signal"
    ]
    assert [e.title for e in signals] == [
        "Seen within two weeks: special cause: improvement in Oct to Dec 2025"
    ]
    links = selectors.place_results(user=setup.coordinator, partnerships=[setup.place.partnership])
    assert [link.url for link in links] == [f"/outcomes/partnerships/{setup.place.partnership.pk}/"]
