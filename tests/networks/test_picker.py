"""The organisation picker of the relationship survey: members are listed, any other organisation of the register
is found by a search (an htmx partial while typing, a plain GET without JavaScript), never listed in full."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from joinedup.networks.models import TieRating
from joinedup.networks.selectors import SEARCH_LIMIT
from tests.factories import OrganisationFactory
from tests.networks.helpers import invite, link_for, relationship_wave

pytestmark = pytest.mark.django_db


def register(count: int, name: str = "Northshire Community Group") -> list[Any]:
    return [OrganisationFactory(name=f"{name} {i:03d}", sector="voluntary") for i in range(count)]


def chosen(organisation: Any) -> set[int]:
    return set(
        TieRating.objects.filter(response__organisation=organisation).values_list("target_id", flat=True)
    )


def test_the_page_lists_members_and_not_the_whole_register(client):
    wave, (a, b, c, d) = relationship_wave()
    outsiders = register(30)
    text = client.get(link_for(invite(wave, a))).content.decode()
    assert all(org.name in text for org in (b, c, d))
    assert not any(org.name in text for org in outsiders)
    assert "<select" not in text
    assert 'name="q"' in text and 'value="search"' in text  # the search box and its no-JS button


def test_search_by_get_finds_organisations_but_not_members_or_oneself(client):
    wave, (a, b, _, _) = relationship_wave()
    foodbank = OrganisationFactory(name="Kingsford Foodbank", postcode="NS1 4AB", ods_code="X9Z")
    OrganisationFactory(name="Kingsford Library")
    url = link_for(invite(wave, a))
    page = client.get(url, {"step": "choose", "q": "foodbank"})
    text = page.content.decode()
    assert page.status_code == 200 and "<html" in text  # the whole page without JavaScript
    assert f'name="add" type="checkbox" value="{foodbank.pk}"' in text
    assert "Kingsford Library" not in text and "1 found" in text
    for query in ("x9z", "NS1 4", "KINGSFORD FOOD"):
        found = client.get(url, {"step": "choose", "q": query}).content.decode()
        assert f'value="{foodbank.pk}"' in found, query
    # own organisation and the members (already listed as checkboxes) are not offered again
    own = client.get(url, {"step": "choose", "q": a.name}).content.decode()
    assert f'name="add" type="checkbox" value="{a.pk}"' not in own
    member = client.get(url, {"step": "choose", "q": b.name}).content.decode()
    assert f'name="add" type="checkbox" value="{b.pk}"' not in member
    nothing = client.get(url, {"step": "choose", "q": "zzzz"}).content.decode()
    assert "No other organisation in the register matches" in nothing


def test_typing_fetches_only_the_results_and_they_are_capped(client):
    wave, (a, _, _, _) = relationship_wave()
    groups = register(SEARCH_LIMIT + 5)
    url = link_for(invite(wave, a))
    partial = client.get(url, {"step": "choose", "q": "community group"}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in text and "<form" not in text
    assert text.count('name="add"') == SEARCH_LIMIT
    assert f"More than {SEARCH_LIMIT} organisations match" in text
    assert groups[0].name in text and groups[-1].name not in text  # by name: the first ones
    few = client.get(url, {"step": "choose", "q": "group 02"}, HTTP_HX_REQUEST="true").content.decode()
    assert few.count('name="add"') == 5 and "More than" not in few  # 020 .. 024


def test_without_javascript_search_keeps_the_ticks_then_adds_what_was_found(client):
    wave, (a, b, _, _) = relationship_wave()
    foodbank = OrganisationFactory(name="Kingsford Foodbank")
    url = link_for(invite(wave, a))
    # tick a member, type a name and press Search: the tick is saved and the results page is a GET
    searched = client.post(
        url, {"step": "choose", "organisations": [b.pk], "q": "foodbank", "action": "search"}
    )
    assert searched.status_code == 302
    location = urlsplit(searched["Location"])
    assert parse_qs(location.query) == {"step": ["choose"], "q": ["foodbank"]}
    assert chosen(a) == {b.pk}
    results = client.get(f"{location.path}?{location.query}").content.decode()
    assert f'value="{foodbank.pk}"' in results and f'value="{b.pk}" checked' in results
    # tick what was found and add it: it joins the list, ticked
    added = client.post(
        url,
        {"step": "choose", "organisations": [b.pk], "q": "foodbank", "add": [foodbank.pk], "action": "add"},
    )
    assert added.status_code == 302 and chosen(a) == {b.pk, foodbank.pk}
    listed = client.get(url).content.decode()
    assert f'name="organisations" type="checkbox" value="{foodbank.pk}" checked' in listed
    # unticking it takes it off again
    client.post(url, {"step": "choose", "organisations": [b.pk], "action": "add"})
    assert chosen(a) == {b.pk}


def test_continue_goes_to_rating_the_organisation_found(client):
    wave, (a, _, _, _) = relationship_wave()
    foodbank = OrganisationFactory(name="Kingsford Foodbank")
    url = link_for(invite(wave, a))
    response = client.post(url, {"step": "choose", "q": "food", "add": [foodbank.pk], "action": "continue"})
    assert response.status_code == 302 and response["Location"].endswith(f"?step=rate&org={foodbank.pk}")


def test_own_organisation_or_an_unknown_one_cannot_be_added(client):
    wave, (a, _, _, _) = relationship_wave()
    url = link_for(invite(wave, a))
    for bad in (a.pk, 987654):
        page = client.post(url, {"step": "choose", "add": [bad], "action": "add"})
        assert page.status_code == 200 and "There is a problem" in page.content.decode()
        assert 'href="#id_q"' in page.content.decode()  # the summary links to the search box
    assert chosen(a) == set()
