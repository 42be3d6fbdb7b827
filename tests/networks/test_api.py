"""Networks API: the same numbers as the selector (and the pages), the same permission, 404 for outsiders."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.networks import selectors, services
from joinedup.surveys import services as survey_services
from tests.api_helpers import unfigure
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory
from tests.networks.helpers import invite, relationship_wave

pytestmark = pytest.mark.django_db

RATINGS = {
    "level": 2,
    "trust_reliability": 2,
    "trust_mission": 3,
    "trust_openness": 4,
    "value_power": 3,
    "value_involvement": 3,
    "value_resources": 1,
}


def submit(
    wave: Any, source: Any, targets: list[Any], *, frequency: int = 3, exchanges=("referrals",)
) -> None:
    """One organisation answers the relationship survey (through the services, as the survey pages do)."""
    response, _ = survey_services.response_start(wave=wave, organisation=source, token=invite(wave, source))
    services.ties_choose(response=response, organisations=targets)
    for target in targets:
        answers = services.TieAnswers(frequency=frequency, exchanges=list(exchanges), **RATINGS)
        services.tie_rate(response=response, organisation=target, answers=answers)
    services.relationship_submit(response=response)


def signed_in(client: Any, partnership: Any, role: str = "coordinator") -> Any:
    user = UserFactory()
    grant(user, partnership, role)
    client.force_login(user)
    return user


def small_wave() -> tuple[Any, list[Any]]:
    """a -> b, a -> c (monthly), b -> a (yearly, planning), c -> b; d invited and silent."""
    wave, (a, b, c, d) = relationship_wave()
    submit(wave, a, [b, c])
    submit(wave, b, [a], frequency=1, exchanges=("planning",))
    submit(wave, c, [b])
    invite(wave, d)
    return wave, [a, b, c, d]


def test_wave_network_equals_the_selector(client):
    wave, (a, b, c, d) = small_wave()
    signed_in(client, wave.partnership)
    raw = client.get(f"/api/v1/networks/waves/{wave.pk}").json()
    assert raw["network"]["trust"] == {"value": None, "suppressed": "not_released"}  # the wave is open
    body = unfigure(raw)
    network = selectors.wave_network(wave=wave)
    assert body["wave"]["id"] == wave.pk and body["wave"]["partnership_id"] == wave.partnership_id
    assert body["response_rate"] == pytest.approx(0.75) == network.response_rate
    assert [o["id"] for o in body["non_respondents"]] == [d.pk]
    summary = body["network"]
    assert summary["ties"] == 4 and summary["organisations"] == 4 and summary["tie_rows"] == 4
    for key, value in network.metrics.network.items():
        assert summary[key] == (pytest.approx(value) if isinstance(value, float) else value), key
    # by hand: 4 ties of 12 possible; a<->b reciprocated; d isolated
    assert summary["density"] == pytest.approx(4 / 12) and summary["reciprocity"] == pytest.approx(0.5)
    # nobody is rated by 3 organisations, and the wave is open: no ratings are released (test_rating_disclosure)
    assert summary["trust"] is None and summary["value"] is None
    assert body["ratings"] == {"released": False, "min_raters": 5, "withheld": 3}
    rows = network.organisation_rows()
    assert [o["id"] for o in body["organisations"]] == [r["id"] for r in rows]
    for got, want in zip(body["organisations"], rows, strict=True):
        for key in ("in_degree", "out_degree", "degree", "betweenness", "closeness", "trust", "value"):
            assert got[key] == (pytest.approx(want[key]) if want[key] is not None else None), key
    by_id = {o["id"]: o for o in body["organisations"]}
    assert by_id[b.pk]["in_degree"] == 2 and by_id[d.pk]["responded"] is False
    assert by_id[a.pk]["out_degree"] == 2 and by_id[c.pk]["in_degree"] == 1
    assert by_id[d.pk]["trust"] is None  # nothing received: unknown, not zero
    # sectors are the stored keys, as in the register's API
    assert [by_id[o.pk]["sector"] for o in (a, b, c, d)] == [
        "nhs",
        "local_authority",
        "voluntary",
        "voluntary",
    ]
    assert body["non_respondents"][0]["sector"] == "voluntary"
    register = client.get(f"/api/v1/organisations/{a.pk}")
    assert register.status_code == 200 and register.json()["sector"] == by_id[a.pk]["sector"]


def test_filters_are_query_parameters(client):
    wave, _ = small_wave()
    signed_in(client, wave.partnership)
    url = f"/api/v1/networks/waves/{wave.pk}"
    monthly = unfigure(client.get(url, {"min_frequency": 3}).json())
    assert monthly["filters"] == {"exchange": "", "min_frequency": 3}
    assert monthly["network"]["ties"] == 3
    assert monthly["network"] == {
        **selectors.wave_network(wave=wave, min_frequency=3).metrics.network,
        "tie_rows": 3,
    }
    assert client.get(url, {"exchange": "planning"}).json()["network"]["ties"] == 1
    assert client.get(url, {"exchange": "nonsense"}).status_code == 422
    assert client.get(url, {"min_frequency": 9}).status_code == 422


def test_compare_counts_gained_lost_and_kept(client):
    first, (a, b, c, _) = relationship_wave(title="Wave 1")
    second, _ = relationship_wave(title="Wave 2", partnership=first.partnership)
    submit(first, a, [b])
    submit(first, b, [a])
    submit(first, c, [a])  # c does not answer the second time: its tie is not comparable
    submit(second, a, [c])
    submit(second, b, [a])
    signed_in(client, first.partnership)
    response = client.get("/api/v1/networks/compare", {"from": first.pk, "to": second.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["before"]["id"] == first.pk and body["after"]["id"] == second.pk
    assert body["ties"] == {"gained": 1, "lost": 1, "kept": 1, "not_comparable": 1}
    assert body["jaccard"] == pytest.approx(1 / 3) and body["observed"] == 2
    assert [(t["source_id"], t["target_id"]) for t in body["gained"]] == [(a.pk, c.pk)]
    assert [(t["source_id"], t["target_id"]) for t in body["lost"]] == [(a.pk, b.pk)]
    rows = {o["id"]: o for o in body["organisations"]}
    # b was named by a and c, then by nobody; c was named by nobody, then by a
    assert rows[b.pk]["before"]["in_degree"] == 1 and rows[b.pk]["after"]["in_degree"] == 0
    assert rows[b.pk]["change"]["in_degree"] == -1 and rows[c.pk]["change"]["in_degree"] == 1
    assert rows[a.pk]["change"]["in_degree"] == -1  # named by b and c, then by b only
    expected = selectors.wave_comparison(before=first, after=second)
    assert len(body["organisations"]) == len(expected["organisation_rows"])


def test_compare_refuses_waves_of_two_partnerships(client):
    first, _ = relationship_wave()
    other, _ = relationship_wave()
    user = signed_in(client, first.partnership)
    grant(user, other.partnership, "coordinator")
    response = client.get("/api/v1/networks/compare", {"from": first.pk, "to": other.pk})
    assert response.status_code == 422
    assert client.get("/api/v1/networks/compare", {"from": first.pk, "to": first.pk}).status_code == 422


def test_member_of_another_partnership_gets_404(client):
    wave, _ = small_wave()
    second, _ = relationship_wave(title="Wave 2", partnership=wave.partnership)
    signed_in(client, PartnershipFactory())
    assert client.get(f"/api/v1/networks/waves/{wave.pk}").status_code == 404
    assert client.get("/api/v1/networks/compare", {"from": wave.pk, "to": second.pk}).status_code == 404
    assert client.get("/api/v1/networks/waves/999999").status_code == 404


def test_a_role_without_the_network_permission_gets_403(client):
    wave, _ = small_wave()
    signed_in(client, wave.partnership, role="observer")
    assert client.get(f"/api/v1/networks/waves/{wave.pk}").status_code == 403


def test_signed_out_is_refused(client):
    wave, _ = small_wave()
    assert client.get(f"/api/v1/networks/waves/{wave.pk}").status_code == 401


def test_openapi_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/networks/waves/{wave_id}" in paths and "/api/v1/networks/compare" in paths
    names = {p["name"] for p in paths["/api/v1/networks/compare"]["get"]["parameters"]}
    assert names == {"from", "to"}
