import networkx as nx
import numpy as np
import pytest

from joinedup.analysis.network import analyse_network, merge_ties
from joinedup.networks import selectors
from joinedup.networks.models import TieRating
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory
from tests.networks.helpers import invite, relationship_wave

pytestmark = pytest.mark.django_db

ALL_TWOS = {
    "frequency": "3",
    "level": "2",
    **{f: "2" for f in ("trust_reliability", "trust_mission", "trust_openness")},
    **{f: "3" for f in ("value_power", "value_involvement", "value_resources")},
}


def answer(client, token, targets, answers=ALL_TWOS):
    url = f"/networks/respond/{token}/"
    response = client.post(
        url, {"step": "choose", "action": "continue", "organisations": [t.pk for t in targets]}
    )
    assert response.status_code == 302
    for target in targets:
        response = client.post(url, {"step": "rate", "org": target.pk, "exchanges": ["referrals"], **answers})
        assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(url, {"step": "check"})
    assert response.status_code == 302
    return client.get(url)


def test_representative_answers_by_link_and_cannot_change_after(client):
    wave, (a, b, c, _) = relationship_wave()
    token = invite(wave, a)
    page = client.get(f"/networks/respond/{token}/")
    text = page.content.decode()
    assert page.status_code == 200 and b.name in text and c.name in text
    assert f'value="{a.pk}"' not in text  # own organisation is not offered
    # a rating page with a missing answer shows the error and keeps the link working
    client.post(
        f"/networks/respond/{token}/", {"step": "choose", "action": "continue", "organisations": [b.pk]}
    )
    missing = client.post(f"/networks/respond/{token}/", {"step": "rate", "org": b.pk, "frequency": "2"})
    assert missing.status_code == 200 and "There is a problem" in missing.content.decode()
    done = answer(client, token, [b, c])
    assert "Your answers have been sent" in done.content.decode()
    assert TieRating.objects.filter(response__organisation=a).count() == 2


def test_page_metrics_equal_the_analysis_and_a_hand_checked_case(client):
    wave, (a, b, c, d) = relationship_wave()
    # a -> b, a -> c, b -> a, c -> b; d is invited and does not answer
    for source, targets in ((a, [b, c]), (b, [a]), (c, [b])):
        answer(client, invite(wave, source), targets)
    invite(wave, d)
    coordinator = UserFactory()
    grant(coordinator, wave.partnership, "coordinator")
    client.force_login(coordinator)
    page = client.get(f"/networks/waves/{wave.pk}/")
    assert page.status_code == 200
    metrics = page.context["metrics"]
    # by hand: 4 organisations, 4 ties of 12 possible, a<->b reciprocated (2 of 4 ties), d isolated
    assert metrics["organisations"] == 4 and metrics["ties"] == 4
    assert metrics["density"] == pytest.approx(4 / 12)
    assert metrics["reciprocity"] == pytest.approx(0.5)
    assert metrics["isolates"] == 1 and metrics["components"] == 2
    # nobody is rated by 3 organisations (and the wave is open): no ratings shown (test_rating_disclosure)
    assert metrics["trust"] is None and metrics["value"] is None
    assert page.context["network"].response_rate == pytest.approx(0.75)
    assert d.name in page.content.decode() and "did not answer" in page.content.decode()
    # people read sector names, on the table and on the map
    assert '<td class="nhsuk-table__cell">Local authority</td>' in page.content.decode()
    assert {v["sector"] for v in page.context["spec"]["layer"][-1]["data"]["values"]} >= {"Local authority"}
    # the same ties straight through analysis.network, and betweenness against networkx
    ids = sorted([a.pk, b.pk, c.pk, d.pk], key=lambda pk: [o.pk for o in (a, b, c, d)].index(pk))
    nodes = [n.id for n in page.context["network"].nodes]
    edges = [(a.pk, b.pk), (a.pk, c.pk), (b.pk, a.pk), (c.pk, b.pk)]
    direct = analyse_network(
        4,
        merge_ties(
            4, np.array([nodes.index(s) for s, _ in edges]), np.array([nodes.index(t) for _, t in edges])
        ),
    )
    for key in ("density", "reciprocity", "degree_centralization", "mean_distance", "transitivity"):
        assert metrics[key] == pytest.approx(direct.network[key]) or (
            metrics[key] is direct.network[key] is None
        )
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(ids)
    expected = nx.betweenness_centrality(graph, normalized=True)
    rows = {r["id"]: r for r in page.context["rows"]}
    for pk, value in expected.items():
        assert rows[pk]["betweenness"] == pytest.approx(value, abs=1e-9)
    assert rows[b.pk]["in_degree"] == 2 and rows[d.pk]["responded"] is False
    assert rows[b.pk]["trust"] is None and rows[a.pk]["value"] is None and rows[b.pk]["raters"] == 2


def test_filters_apply_before_the_analysis(client):
    wave, (a, b, c, _) = relationship_wave()
    answer(client, invite(wave, a), [b])
    answer(client, invite(wave, b), [c], answers={**ALL_TWOS, "frequency": "1"})
    weekly = selectors.wave_network(wave=wave, min_frequency=3)
    assert weekly.metrics.network["ties"] == 1
    assert selectors.wave_network(wave=wave, exchange="money").metrics.network["ties"] == 0
    assert selectors.wave_network(wave=wave).metrics.network["ties"] == 2


def test_member_of_another_partnership_gets_404(client):
    wave, _ = relationship_wave()
    outsider = UserFactory()
    grant(outsider, PartnershipFactory(), "coordinator")
    client.force_login(outsider)
    assert client.get(f"/networks/waves/{wave.pk}/").status_code == 404
    assert client.get(f"/networks/partnerships/{wave.partnership_id}/").status_code == 404
    assert client.get(f"/networks/partnerships/{wave.partnership_id}/compare/").status_code == 404


def test_compare_page_shows_gained_and_lost_ties(client):
    first, (a, b, c, _) = relationship_wave(title="Wave 1")
    second, _ = relationship_wave(title="Wave 2", partnership=first.partnership)
    answer(client, invite(first, a), [b])
    answer(client, invite(first, b), [a])
    answer(client, invite(second, a), [c])
    answer(client, invite(second, b), [a])
    coordinator = UserFactory()
    grant(coordinator, first.partnership, "coordinator")
    client.force_login(coordinator)
    page = client.get(
        f"/networks/partnerships/{first.partnership_id}/compare/?before={first.pk}&after={second.pk}"
    )
    assert page.status_code == 200
    ties = page.context["ties"]
    assert ties.gained == [(a.pk, c.pk)] and ties.lost == [(a.pk, b.pk)] and ties.kept == [(b.pk, a.pk)]
    assert ties.jaccard == pytest.approx(1 / 3)
    assert f"{a.name} now names {c.name}" in page.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", 200), ("representative", 200), ("member", 200), ("evaluator", 200), ("observer", 403)],
)
def test_relationship_results_need_the_network_permission(client, role, status):
    wave, (a, *_) = relationship_wave()
    user = UserFactory()
    grant(user, wave.partnership, role, **({"organisation": a} if role == "representative" else {}))
    client.force_login(user)
    for url in (
        f"/networks/waves/{wave.pk}/",
        f"/networks/partnerships/{wave.partnership_id}/",
        f"/networks/partnerships/{wave.partnership_id}/compare/",
    ):
        assert client.get(url).status_code == status, url
    # the API's figures are an export: only those who may export them (coordinators, evaluators) get them
    exports = role in ("coordinator", "evaluator")
    assert client.get(f"/api/v1/networks/waves/{wave.pk}").status_code == (200 if exports else 403)


def test_a_big_wave_lists_its_organisations_a_page_at_a_time(client, monkeypatch):
    from joinedup.networks import views

    monkeypatch.setattr(views, "ROWS_PER_PAGE", 3)
    monkeypatch.setattr(views, "MAP_TABLE_ROWS", 2)
    wave, (a, b, c, d) = relationship_wave()
    answer(client, invite(wave, a), [b, c, d])
    answer(client, invite(wave, c), [b])
    coordinator = UserFactory()
    grant(coordinator, wave.partnership, "coordinator")
    client.force_login(coordinator)
    first = client.get(f"/networks/waves/{wave.pk}/", {"min_frequency": 3})
    assert [r["id"] for r in first.context["rows"]] == [b.pk, c.pk, d.pk]  # most named first
    assert len(first.context["rows"]) == 3 and "page 1 of 2" in first.content.decode()
    assert "min_frequency=3&amp;page=2" in first.content.decode()  # the filters stay with the pages
    second = client.get(f"/networks/waves/{wave.pk}/", {"min_frequency": 3, "page": 2})
    assert [r["id"] for r in second.context["rows"]] == [a.pk]
    # beside the map: the two largest, by the size measure (ties given and received)
    assert [r["id"] for r in first.context["map_rows"]] == [a.pk, b.pk]
    assert "The 2 largest on the map" in first.content.decode()
