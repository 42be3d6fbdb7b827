"""Relationship survey ratings, attacked on every path (issue 10; DESIGN.md §6).

Who names whom is shown to the partnership; one organisation's ratings of another are not. The attacker is
a member of the partnership (the pages) or an evaluator (the API, which needs Permission.EXPORT), from an
organisation other than the rater. They try: the page HTML, the map's data and tooltips, the API filtered
and unfiltered (every filter), the compare page and API, the large-wave analysis stored by the job, the
network-wide mean (differenced against the figures shown), and the figures before and after one more answer.

The wave: target T is rated by R1..R4 (4 raters); U by R1 and R2 (2 raters); V by R1 only (1 rater).
R1's ratings are all 1 and everyone else's all 4, so any figure other than a released mean gives R1 away.
Only R1 names T "every day" (frequency 5) and only R1 shares money with anyone: the filters
min_frequency=5 and exchange=money leave T, U and V named by R1 alone.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from joinedup.core.models import Job
from joinedup.networks import selectors, services
from joinedup.networks.choices import RELATIONSHIP_KIND, Exchange, Frequency
from joinedup.surveys import services as survey_services
from tests.api_helpers import reasons, unfigure
from tests.conftest import grant
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.networks.helpers import invite

pytestmark = pytest.mark.django_db

LOW = dict.fromkeys(
    (
        "trust_reliability",
        "trust_mission",
        "trust_openness",
        "value_power",
        "value_involvement",
        "value_resources",
    ),
    1,
)
HIGH = dict.fromkeys(LOW, 4)
WITHHELD = "not shown: fewer than 3 organisations rated it"


def answer(
    wave: Any, source: Any, targets: list[Any], ratings: dict[str, int], *, frequency: int = 2
) -> None:
    response, _ = survey_services.response_start(wave=wave, organisation=source, token=invite(wave, source))
    services.ties_choose(response=response, organisations=targets)
    money = ratings is LOW
    for target in targets:
        answers = services.TieAnswers(
            frequency=frequency,
            exchanges=["money", "referrals"] if money else ["referrals"],
            level=2,
            **ratings,
        )
        services.tie_rate(response=response, organisation=target, answers=answers)
    services.relationship_submit(response=response)


def build(*, close: bool = True, min_raters: int = 3, title: str = "Relationships", partnership: Any = None):
    partnership = partnership or PartnershipFactory()
    existing = {m.organisation.name: m.organisation for m in partnership.memberships.all()}
    orgs = {}
    for key in ("T", "U", "V", "R1", "R2", "R3", "R4"):
        orgs[key] = existing.get(key) or (
            MembershipFactory(
                partnership=partnership, organisation=OrganisationFactory(name=key)
            ).organisation
        )
    wave = survey_services.wave_create(
        by=None,
        partnership=partnership,
        kind=RELATIONSHIP_KIND,
        title=title,
        opens=datetime.date(2026, 1, 1),
        closes=datetime.date(2099, 2, 1),
        min_group_size=min_raters,
    )
    survey_services.wave_open(by=None, wave=wave)
    o = orgs
    answer(wave, o["R1"], [o["T"], o["U"], o["V"]], LOW, frequency=5)
    answer(wave, o["R2"], [o["T"], o["U"]], HIGH)
    answer(wave, o["R3"], [o["T"]], HIGH)
    answer(wave, o["R4"], [o["T"]], HIGH)
    if close:
        survey_services.wave_close(by=None, wave=wave)
    wave.refresh_from_db()
    return wave, orgs


def signed_in(client: Any, partnership: Any, role: str) -> Any:
    user = UserFactory()
    grant(user, partnership, role)
    client.force_login(user)
    return user


T_MEAN = (1 + 4 + 4 + 4) / 4  # T's released trust and value received: R1..R4


def assert_safe_rows(rows: list[dict[str, Any]], orgs: dict[str, Any]) -> None:
    by_id = {r["id"]: r for r in rows}
    assert by_id[orgs["T"].pk]["trust"] == pytest.approx(T_MEAN)
    assert by_id[orgs["T"].pk]["value"] == pytest.approx(T_MEAN)
    for key in ("U", "V"):  # 2 raters and 1 rater
        assert by_id[orgs[key].pk]["trust"] is None and by_id[orgs[key].pk]["value"] is None, key
    assert [by_id[orgs[k].pk]["raters"] for k in ("T", "U", "V", "R1")] == [4, 2, 1, 0]


def test_the_page_shows_who_names_whom_but_not_one_organisations_ratings(client):
    wave, orgs = build()
    signed_in(client, wave.partnership, "member")
    page = client.get(f"/networks/waves/{wave.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert_safe_rows(page.context["rows"], orgs)
    assert html.count(f'<span class="nhsuk-body-s">{WITHHELD}</span>') == 4  # U and V, trust and value
    assert "at least 3 organisations rated it" in html
    # the network-wide mean is over ties to organisations whose figure is shown: T only
    assert page.context["metrics"]["trust"] == pytest.approx(T_MEAN)
    assert page.context["metrics"]["value"] == pytest.approx(T_MEAN)
    # the map: ties carry no ratings; points carry only released figures, tooltips say why one is missing
    spec = client.get(f"/networks/waves/{wave.pk}/", {"size_by": "trust"}).context["spec"]
    lines, points = spec["layer"][0]["data"]["values"], spec["layer"][-1]["data"]["values"]
    assert all(set(line) <= {"x", "y", "x2", "y2", "from", "to", "mutual"} for line in lines)
    by_name = {p["name"]: p for p in points}
    assert by_name["T"]["trust"] == pytest.approx(T_MEAN) and by_name["T"]["size_text"] == "3.25"
    for key in ("U", "V"):
        assert by_name[key]["trust"] is None and by_name[key]["value"] is None
        assert by_name[key]["size_text"] == WITHHELD
    assert by_name["R1"]["size_text"] == "no ratings"


@pytest.mark.parametrize("exchange", ["", *Exchange.values])
def test_no_filter_of_the_api_gives_one_organisations_rating(client, exchange):
    wave, orgs = build()
    signed_in(client, wave.partnership, "evaluator")
    raw = client.get(f"/api/v1/networks/waves/{wave.pk}").json()
    unfiltered = unfigure(raw)
    assert_safe_rows(unfiltered["organisations"], orgs)
    by_id = {o["id"]: o for o in raw["organisations"]}
    for key in ("U", "V"):  # hidden with the reason: fewer than 3 organisations rated them
        assert by_id[orgs[key].pk]["trust"] == {"value": None, "suppressed": "too_few_raters"}
    assert by_id[orgs["R1"].pk]["trust"] == {"value": None, "suppressed": None}  # nobody rated it
    assert unfiltered["ratings"] == {"released": True, "min_raters": 3, "withheld": 2}
    for min_frequency in Frequency.values:
        body = unfigure(
            client.get(
                f"/api/v1/networks/waves/{wave.pk}", {"exchange": exchange, "min_frequency": min_frequency}
            ).json()
        )
        # the filter changes the ties, never the ratings: T's figure stays the mean of all four raters
        assert_safe_rows(body["organisations"], orgs)
        assert body["network"]["trust"] == unfiltered["network"]["trust"]
        assert body["network"]["value"] == unfiltered["network"]["value"]
    # min_frequency=5 (or exchange=money) leaves T named by R1 alone, yet R1's 1.0 is not shown for it
    alone = unfigure(client.get(f"/api/v1/networks/waves/{wave.pk}", {"min_frequency": 5}).json())
    t = next(o for o in alone["organisations"] if o["id"] == orgs["T"].pk)
    assert t["in_degree"] == 1 and t["trust"] == pytest.approx(T_MEAN)


def test_the_network_mean_cannot_be_differenced_into_a_withheld_figure(client):
    """Network mean × ties rated − Σ released figure × raters would be U's and V's ratings, were they in the
    mean: the attacker's sum over what the API shows must give the network mean exactly."""
    wave, _ = build()
    signed_in(client, wave.partnership, "evaluator")
    body = unfigure(client.get(f"/api/v1/networks/waves/{wave.pk}").json())
    shown = [o for o in body["organisations"] if o["trust"] is not None]
    derived = sum(o["trust"] * o["raters"] for o in shown) / sum(o["raters"] for o in shown)
    assert body["network"]["trust"] == pytest.approx(derived)


def test_nothing_is_released_while_the_survey_is_open(client):
    """Otherwise the figures before and after R4 answers would give R4's rating of T."""
    wave, _ = build(close=False)
    signed_in(client, wave.partnership, "evaluator")
    raw = client.get(f"/api/v1/networks/waves/{wave.pk}").json()
    assert reasons(raw) == {"not_released"}
    body = unfigure(raw)
    assert body["ratings"]["released"] is False
    assert all(o["trust"] is None and o["value"] is None for o in body["organisations"])
    assert body["network"]["trust"] is None and body["network"]["value"] is None
    page = client.get(f"/networks/waves/{wave.pk}/")
    assert "shown once the survey has closed" in page.content.decode()
    assert page.content.decode().count('"nhsuk-body-s">shown when the survey closes<') == 6  # T, U, V


def test_a_wave_can_ask_for_more_raters(client):
    wave, _ = build(min_raters=5)
    signed_in(client, wave.partnership, "evaluator")
    body = unfigure(client.get(f"/api/v1/networks/waves/{wave.pk}").json())
    assert body["ratings"]["min_raters"] == 5
    assert all(o["trust"] is None for o in body["organisations"])  # T has only 4 raters


def test_compare_shows_no_change_of_a_withheld_figure(client):
    first, orgs = build(title="2025")
    second, _ = build(title="2026", partnership=first.partnership)
    signed_in(client, first.partnership, "evaluator")
    raw = client.get("/api/v1/networks/compare", {"from": first.pk, "to": second.pk}).json()
    raw_by_id = {o["id"]: o for o in raw["organisations"]}
    for key in ("U", "V"):  # withheld in each wave, and so their change: the reason says so
        for side in ("before", "after", "change"):
            assert raw_by_id[orgs[key].pk][side]["trust"] == {
                "value": None,
                "suppressed": "too_few_raters",
            }, side
    body = unfigure(raw)
    by_id = {o["id"]: o for o in body["organisations"]}
    for key in ("U", "V"):
        for side in ("before", "after", "change"):
            assert by_id[orgs[key].pk][side]["trust"] is None and by_id[orgs[key].pk][side]["value"] is None
    assert by_id[orgs["T"].pk]["after"]["trust"] == pytest.approx(T_MEAN)
    signed_in(client, first.partnership, "member")
    page = client.get(f"/networks/partnerships/{first.partnership.pk}/compare/")
    rows = {r["name"]: r["change"] for r in page.context["organisation_rows"]}
    assert rows["U"].before["trust"] is None and rows["V"].after["value"] is None


def test_the_large_wave_analysis_stores_only_released_figures(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    wave, orgs = build()
    monkeypatch.setattr(selectors, "LARGE_WAVE", 3)
    signed_in(client, wave.partnership, "evaluator")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/api/v1/networks/waves/{wave.pk}", {"min_frequency": 5})
    body = client.get(f"/api/v1/networks/waves/{wave.pk}", {"min_frequency": 5})
    assert body.status_code == 200
    assert_safe_rows(unfigure(body.json())["organisations"], orgs)
    stored = Job.objects.get(kind=selectors.WAVE_JOB).result
    names = [node[1] for node in stored["nodes"]]
    received = {name: (t, v) for name, t, v in zip(names, stored["trust"], stored["value"], strict=True)}
    assert received["T"] == (pytest.approx(T_MEAN), pytest.approx(T_MEAN))
    assert received["U"] == received["V"] == (None, None)
    assert stored["network"]["trust"] == stored["network"]["value"] == pytest.approx(T_MEAN)


def test_an_analysis_stored_before_ratings_were_withheld_shows_none(client):
    wave, _ = build()
    data = selectors.wave_network(wave=wave).to_dict()
    del data["ratings"]
    data["trust"] = data["value"] = [1.0] * len(data["nodes"])
    data["network"] = {**data["network"], "trust": 1.0, "value": 1.0}
    old = selectors.WaveNetwork.from_dict(wave, data)
    assert all(r["trust"] is None and r["value"] is None for r in old.organisation_rows())
    assert old.metrics.network["trust"] is None


def test_the_survey_says_who_sees_what(client):
    wave, orgs = build(close=False)
    token = invite(wave, orgs["T"])
    text = client.get(f"/networks/respond/{token}/").content.decode()
    assert "will see which organisations you name" in text
    assert "never shown on their own" in text and "at least 3 organisations" in text
