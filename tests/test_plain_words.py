"""Pages a partnership lead reads, rendered from factory data like the demo's: every statistic and network
measure has its one-sentence meaning beside it, and no stored key (a statement's, a profession's, a sector's,
a method's) or unexplained hash or raw amount reaches the page."""

from __future__ import annotations

import html as html_lib
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings

from joinedup.core.glossary import BY_KEY
from joinedup.register.choices import Profession, Sector
from tests.agreements.helpers import make_place, proposed_version
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import UserFactory
from tests.networks.test_rating_disclosure import build

pytestmark = pytest.mark.django_db


def visible_text(page: str) -> str:
    """The words a reader sees: no tags, no attribute values (chart specs, form values), entities decoded."""
    page = re.sub(r"<(script|style|select)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def explained(page: str, *keys: str) -> None:
    """Each term's one-sentence meaning is on the page, inside a details box, linked to its glossary entry."""
    boxes = " ".join(
        re.findall(r'<details class="nhsuk-details app-explain">.*?</details>', page, flags=re.S)
    )
    text = " ".join(html_lib.unescape(boxes).split())
    for key in keys:
        assert BY_KEY[key].short in text, f"no explanation of {key} on the page"
        assert f'href="/glossary/#{key}"' in boxes


def raw_keys_in(text: str, keys: set[str]) -> set[str]:
    return {k for k in keys if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text)}


# keys that are also plain English words a page may rightly use
ENGLISH = {"other", "nurse", "housing", "education", "doctor", "manager", "volunteer", "nhs"}
STORED_KEYS = (set(Profession.values) | set(Sector.values)) - ENGLISH


@pytest.fixture
def results(client: Any) -> dict[str, Any]:
    partnership, orgs = partnership_with_members(name="Northshire Mental Health Partnership")
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    wave = make_wave(partnership, min_group_size=3)
    add_answers(wave, orgs["trust"], 6, level=4, seed=1, profession="mental_health_nurse", compute=False)
    add_answers(wave, orgs["charity"], 5, level=2, seed=2, profession="volunteer", compute=False)
    add_answers(wave, orgs["council"], 5, level=3, seed=3, profession="social_worker")
    client.force_login(coordinator)
    return {"wave": wave, "url": f"/assessments/waves/{wave.pk}/results/"}


@override_settings(RESULTS_RELEASE_INTERVAL_HOURS=0)
def test_the_results_page_explains_each_figure_and_shows_no_key(client: Any, results: dict[str, Any]) -> None:
    page = client.get(results["url"]).content.decode()
    text = visible_text(page)
    assert "16 people sent answers" in text
    explained(page, "n", "mean", "sd", "ci", "rwg", "band")
    for heading in ("SD", "95% confidence interval", "Agreement (rwg)", "Band"):  # each heading links there
        assert re.search(rf'<a href="/glossary/#[\w-]+">{re.escape(heading)}</a>', page), heading
    assert re.search(r">(Strength|Borderline|Concern)<", page)  # a band as a word, capitalised
    statements = [item for d in results["wave"].instrument["dimensions"] for item in d["items"]]
    item_keys = {item["key"] for item in statements}
    # not in the words, and not in the charts' data either (a chart's axis shows what the data holds)
    assert not raw_keys_in(page, item_keys), "a statement's key reached the page"
    assert statements[0]["text"] in html_lib.unescape(page)


@override_settings(RESULTS_RELEASE_INTERVAL_HOURS=0)
def test_a_breakdown_by_profession_shows_profession_labels(client: Any, results: dict[str, Any]) -> None:
    page = client.get(results["url"], {"by": "profession"}).content.decode()
    text = visible_text(page)
    assert "Mental health nurse" in text and "Social worker" in text
    assert dict(Profession.choices)["volunteer"] in text
    assert not raw_keys_in(text, STORED_KEYS | {"volunteer"} - {dict(Profession.choices)["volunteer"]})
    sectors = client.get(results["url"], {"by": "sector"}).content.decode()
    assert "Local authority" in visible_text(sectors)
    assert not raw_keys_in(visible_text(sectors), STORED_KEYS)


def test_the_network_page_explains_its_measures_and_says_how_betweenness_was_found(client: Any) -> None:
    wave, _ = build()
    user = UserFactory()
    grant(user, wave.partnership, "coordinator")
    client.force_login(user)
    response = client.get(f"/networks/waves/{wave.pk}/")
    page = response.content.decode()
    text = visible_text(page)
    explained(page, "ties", "betweenness", "closeness", "trust-value", "density", "ei-index")
    assert "How betweenness was worked out Worked out exactly" in text
    assert not re.search(r"\bexact\b|sampled:", text)
    assert not raw_keys_in(text, STORED_KEYS)
    spec = response.context["spec"]
    assert {line["mutual"] for line in spec["layer"][0]["data"]["values"]} <= {"yes", "no"}
    assert "true" not in str(spec["layer"][0]["encoding"]).lower()


def test_the_comparison_explains_jaccard(client: Any) -> None:
    first, _ = build(title="Relationships 2025")
    second, _ = build(title="Relationships 2026", partnership=first.partnership)
    user = UserFactory()
    grant(user, first.partnership, "coordinator")
    client.force_login(user)
    page = client.get(
        f"/networks/partnerships/{first.partnership_id}/compare/", {"before": first.pk, "after": second.pk}
    ).content.decode()
    explained(page, "jaccard", "betweenness")


def test_an_agreement_shows_pounds_and_a_short_explained_fingerprint(client: Any) -> None:
    place = make_place()
    version = proposed_version(
        place,
        contributions=[
            {
                "organisation_id": place.orgs[0].pk,
                "kind": "money",
                "amount": Decimal("4000000.00"),
                "unit": "GBP",
            }
        ],
    )
    client.force_login(place.coordinator)
    page = client.get(
        f"/agreements/{version.agreement_id}/versions/{version.number}/", follow=True
    ).content.decode()
    text = visible_text(page)
    assert "£4,000,000" in text
    assert "4000000" not in text and "GBP" not in text
    # the full 64 characters only inside the fingerprint's details, after its explanation
    outside = re.sub(
        r'(<details class="nhsuk-details app-fingerprint">.*?</summary>).*?</details>',
        r"\1",
        page,
        flags=re.S,
    )
    assert version.content_hash not in visible_text(outside)
    assert version.content_hash[:12] in visible_text(outside)
    assert "single word or figure changed, the fingerprint would change" in text


@override_settings(RESULTS_RELEASE_INTERVAL_HOURS=0)
def test_the_results_charts_are_valid_vega_lite_and_say_what_their_fields_are(
    client: Any, results: dict[str, Any]
) -> None:
    import copy
    import json
    from pathlib import Path

    import jsonschema

    schema_file = Path(__file__).resolve().parents[1] / "node_modules/vega-lite/build/vega-lite-schema.json"
    schema = json.loads(schema_file.read_text())
    context = client.get(results["url"]).context
    for name in ("profile_spec", "heatmap_spec", "diverging_spec"):
        spec = copy.deepcopy(context[name])
        spec["config"]["legend"].pop("layout")  # Vega's, passed through (see test_network_map)
        jsonschema.validate(spec, schema)
        assert spec["config"]["legend"]["orient"] == "bottom", name
        for tip in spec["encoding"]["tooltip"]:  # a tooltip names its field in words, not by its key
            assert tip.get("title"), (name, tip)
