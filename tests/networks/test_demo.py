import pytest

from joinedup.networks import selectors
from joinedup.register.choices import Sector

pytestmark = pytest.mark.django_db

VCS = {Sector.VOLUNTARY, Sector.SERVICE_USER}  # stored keys, as in the rows


@pytest.fixture
def demo(db):
    """The whole demo (several seconds), built once for the one test here, inside its transaction."""
    from joinedup.demo.northshire import build_northshire

    return build_northshire(seed=2026)


def vcs_mean_degree(network):
    rows = [r for r in network.organisation_rows() if r["sector"] in VCS]
    return sum(r["degree"] for r in rows) / len(rows)


def test_voluntary_sector_moves_from_the_edge_and_one_partner_is_isolated(demo):
    waves = demo["relationship_waves"]
    first = selectors.wave_network(wave=waves["mh_1"])
    second = selectors.wave_network(wave=waves["mh_2"])
    assert vcs_mean_degree(second) > 2 * vcs_mean_degree(first)
    for network in (first, second):
        isolated = [r["name"] for r in network.organisation_rows() if r["degree"] == 0]
        assert isolated == ["Northshire Coastal Primary Care Network"]
        assert network.metrics.network["isolates"] == 1
    # a non-respondent in the first survey is reported, not treated as having no ties
    assert [n.name for n in first.non_respondents] == ["Northshire Homes"]
    assert first.response_rate == pytest.approx(0.9)

    # the Health and Wellbeing Board's survey of the whole system includes non-members
    network = selectors.wave_network(wave=demo["relationship_waves"]["hwb_system"])
    assert 38 <= network.metrics.network["organisations"] <= 45
    members = {m.organisation_id for m in demo["partnerships"]["hwb"].memberships.filter(left__isnull=True)}
    responded_non_members = [n for n in network.nodes if n.responded and n.id not in members]
    assert len(responded_non_members) > 10
    assert len(network.non_respondents) > 0
    # the demo's ratings are rich enough to show: in each survey most organisations that were rated at all
    # were rated by at least 3 (the demo's minimum), so their trust and value received are shown
    for key in ("mh_1", "mh_2", "hwb_system"):
        rows = selectors.wave_network(wave=demo["relationship_waves"][key]).organisation_rows()
        rated = [r for r in rows if r["raters"]]
        shown = [r for r in rated if r["trust"] is not None and r["value"] is not None]
        assert all(r["raters"] >= 3 for r in shown) and all(r["raters"] < 3 for r in rated if r not in shown)
        assert len(shown) >= 0.6 * len(rated), key
