"""Every API list pages by cursor (core.api_pages): walking `next` from the first page to the last gives each
item once and the same items as one long page; each list costs the same queries for 5 items as for 50
(tests/query_counts.py); a cursor the API did not make is refused with a problem naming `cursor`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests.agreements.helpers import make_place
from tests.api_helpers import walk
from tests.conftest import grant
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    RoleInvitationFactory,
    TimelineEventFactory,
    UserFactory,
)
from tests.factories.agreements import (
    AgreementFactory,
    AgreementVersionFactory,
    CommentFactory,
    PositionFactory,
    SignatureFactory,
)
from tests.factories.governance import (
    ActionFactory,
    AttendanceFactory,
    DecisionFactory,
    DisputeFactory,
    MeetingFactory,
)
from tests.factories.outcomes import IndicatorFactory, MeasurementFactory
from tests.factories.surveys import InvitationFactory, WaveFactory
from tests.factories.voice import YouSaidWeDidFactory
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


@dataclass
class World:
    client: Client
    user: Any
    partnership: Any
    org: Any
    agreement: Any
    version: Any
    wave: Any
    indicator: Any
    meeting: Any


@pytest.fixture
def world() -> World:
    place = make_place(members=1)
    user = UserFactory(is_superuser=True)  # sees contact details and every list, as a coordinator of all
    client = Client()
    client.force_login(user)
    agreement = AgreementFactory(partnership=place.partnership)
    return World(
        client=client,
        user=user,
        partnership=place.partnership,
        org=place.orgs[0],
        agreement=agreement,
        version=AgreementVersionFactory(agreement=agreement, proposed=True),
        wave=WaveFactory(partnership=place.partnership),
        indicator=IndicatorFactory(partnership=place.partnership, owner=place.orgs[0]),
        meeting=MeetingFactory(partnership=place.partnership),
    )


def _many(make: Callable[[World], Any]) -> Callable[[World, int], None]:
    def add(w: World, n: int) -> None:
        for _ in range(n):
            make(w)

    return add


def _member(w: World) -> None:
    m = MembershipFactory(partnership=w.partnership)
    m.representatives.add(PersonFactory())


def _person(w: World) -> None:
    AffiliationFactory(person=PersonFactory(), organisation=OrganisationFactory())


def _version(w: World) -> None:
    number = w.agreement.versions.count() + 10
    AgreementVersionFactory(agreement=w.agreement, number=number, in_force=True, superseded_at=None)


def _decision(w: World) -> None:
    DecisionFactory(meeting=MeetingFactory(partnership=w.partnership))


# name -> (the list's URL, what adds one of its items)
LISTS: dict[str, tuple[Callable[[World], str], Callable[[World, int], None]]] = {
    "partnerships": (lambda w: "/api/v1/partnerships", _many(lambda w: PartnershipFactory())),
    "organisations": (lambda w: "/api/v1/organisations", _many(lambda w: OrganisationFactory())),
    "people": (lambda w: "/api/v1/people", _many(_person)),
    "memberships": (lambda w: f"/api/v1/partnerships/{w.partnership.pk}/memberships", _many(_member)),
    "roles": (
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/roles",
        _many(lambda w: grant(UserFactory(), w.partnership, "observer")),
    ),
    "invitations": (
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/invitations",
        _many(lambda w: RoleInvitationFactory(partnership=w.partnership)),
    ),
    "timeline": (
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/timeline",
        _many(lambda w: TimelineEventFactory(partnership=w.partnership)),
    ),
    "agreements": (
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/agreements",
        _many(lambda w: AgreementFactory(partnership=w.partnership)),
    ),
    "comments": (
        lambda w: f"/api/v1/agreements/{w.agreement.pk}/versions/{w.version.number}/comments",
        _many(lambda w: CommentFactory(version=w.version)),
    ),
    "positions": (
        lambda w: f"/api/v1/agreements/{w.agreement.pk}/versions/{w.version.number}/positions",
        _many(lambda w: PositionFactory(version=w.version)),
    ),
    "signatures": (
        lambda w: f"/api/v1/agreements/{w.agreement.pk}/versions/{w.version.number}/signatures",
        _many(lambda w: SignatureFactory(version=w.version)),
    ),
    "waves": (
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/waves",
        _many(lambda w: WaveFactory(partnership=w.partnership)),
    ),
    "wave invitations": (
        lambda w: f"/api/v1/waves/{w.wave.pk}/invitations",
        _many(lambda w: InvitationFactory(wave=w.wave, organisation=w.org)),
    ),
    "indicators": (
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/indicators",
        _many(lambda w: IndicatorFactory(partnership=w.partnership, owner=w.org)),
    ),
    "measurements": (
        lambda w: f"/api/v1/indicators/{w.indicator.pk}/measurements",
        _many(lambda w: MeasurementFactory(indicator=w.indicator)),
    ),
    "meetings": (
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/meetings",
        _many(lambda w: MeetingFactory(partnership=w.partnership)),
    ),
    "attendance": (
        lambda w: f"/api/v1/meetings/{w.meeting.pk}/attendance",
        _many(lambda w: AttendanceFactory(meeting=w.meeting)),
    ),
    "decisions": (lambda w: f"/api/v1/partnerships/{w.partnership.pk}/decisions", _many(_decision)),
    "actions": (
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/actions",
        _many(lambda w: ActionFactory(partnership=w.partnership, owner_organisation=w.org)),
    ),
    "disputes": (
        lambda w: f"/api/v1/partnerships/{w.partnership.pk}/disputes",
        _many(lambda w: DisputeFactory(partnership=w.partnership, raised_by=w.org)),
    ),
    "you said, we did": (
        lambda w: f"/api/v1/voice/partnerships/{w.partnership.pk}/you-said-we-did",
        _many(lambda w: YouSaidWeDidFactory(partnership=w.partnership)),
    ),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_walking_every_page_gives_each_item_once(world: World, name: str) -> None:
    url, add = LISTS[name]
    add(world, 16)
    everything = world.client.get(url(world), {"limit": 200}).json()
    assert everything["next"] is None and len(everything["items"]) >= 16
    walked = walk(world.client, url(world), limit=5)
    assert [i["id"] for i in walked] == [i["id"] for i in everything["items"]]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_list_costs_the_same_queries_for_5_items_as_for_50(world: World, name: str) -> None:
    url, add = LISTS[name]
    assert_num_queries_stable(
        world.client, lambda: url(world), setup=lambda n: add(world, n), params={"limit": 200}
    )


@pytest.mark.parametrize("cursor", ["nonsense", "YzE6eA", "", "YzE6LTE", "AAAA", "YzI6MQ"])
def test_a_cursor_the_api_did_not_make_is_refused(world: World, cursor: str) -> None:
    answer = world.client.get(f"/api/v1/partnerships/{world.partnership.pk}/timeline", {"cursor": cursor})
    if cursor == "":
        assert answer.status_code == 200  # no cursor: the first page
        return
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in answer.json()["invalid_params"]] == ["cursor"]


def test_a_limit_out_of_bounds_is_refused(world: World) -> None:
    for limit in (0, 201):
        answer = world.client.get("/api/v1/organisations", {"limit": limit})
        assert answer.status_code == 422 and "limit" in [p["name"] for p in answer.json()["invalid_params"]]


def test_filters_narrow_the_pages(world: World) -> None:
    TimelineEventFactory(partnership=world.partnership, kind="merger", date=datetime.date(2020, 1, 1))
    TimelineEventFactory(partnership=world.partnership, kind="merger", date=datetime.date(2025, 1, 1))
    TimelineEventFactory(partnership=world.partnership, kind="other", date=datetime.date(2025, 1, 1))
    url = f"/api/v1/partnerships/{world.partnership.pk}/timeline"
    merged = walk(world.client, url, limit=1, kind="merger", since="2024-06-01")
    assert [(e["kind"], e["date"]) for e in merged] == [("merger", "2025-01-01")]
    assert world.client.get(url, {"kind": "nonsense"}).status_code == 422
