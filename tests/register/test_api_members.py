"""Register API, members: memberships, roles, role invitations and timeline through the same services as the
partnership pages, refused to those who may not (anonymous 401, another partnership 404, no right 403, a read-only
token 403 on every write)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail

from joinedup.register.models import Membership, PartnershipRole, RoleInvitation, TimelineEvent
from tests.api_helpers import Api, token_for
from tests.conftest import grant
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    RoleInvitationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> Any:
    coordinator = UserFactory()
    partnership = PartnershipFactory()
    grant(coordinator, partnership, "coordinator")
    member = UserFactory()
    grant(member, partnership, "member")
    return coordinator, member, partnership


def test_add_a_member_with_its_representative_and_end_it(setup: Any) -> None:
    coordinator, _member, partnership = setup
    api = Api(token_for(coordinator, [partnership]))
    org = OrganisationFactory()
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=org)
    url = f"/api/v1/partnerships/{partnership.pk}/memberships"
    made = api.post(
        url, {"organisation_id": org.pk, "joined": "2026-01-05", "representative_ids": [person.pk]}
    )
    assert made.status_code == 201, made.content
    assert made.json()["representatives"] == [{"id": person.pk, "name": person.name}]
    again = api.post(url, {"organisation_id": org.pk, "joined": "2026-01-05"})
    assert again.status_code == 422 and again.json()["invalid_params"][0]["name"] == "organisation"
    ended = api.post(f"{url}/{made.json()['id']}/end", {"left": "2026-06-30", "reason": "Merged"})
    assert ended.status_code == 200 and ended.json()["left"] == "2026-06-30"
    kinds = [e["kind"] for e in api.get(f"/api/v1/partnerships/{partnership.pk}/timeline").json()["items"]]
    assert kinds == ["member_left", "member_joined"]  # the most recently recorded first
    early = api.post(f"{url}/{made.json()['id']}/end", {"left": "2026-07-01"})
    assert early.status_code == 422  # already ended


def test_a_representative_must_be_affiliated(setup: Any) -> None:
    coordinator, _member, partnership = setup
    api = Api(token_for(coordinator, [partnership]))
    body = {
        "organisation_id": OrganisationFactory().pk,
        "joined": "2026-01-05",
        "representative_ids": [PersonFactory().pk],
    }
    refused = api.post(f"/api/v1/partnerships/{partnership.pk}/memberships", body)
    assert refused.status_code == 422 and not Membership.objects.exists()


def test_writes_are_refused_to_those_who_may_not(setup: Any) -> None:
    coordinator, member, partnership = setup
    body = {"organisation_id": OrganisationFactory().pk, "joined": "2026-01-05"}
    url = f"/api/v1/partnerships/{partnership.pk}/memberships"
    assert Api().post(url, body).status_code == 401
    assert Api(token_for(member, [partnership])).post(url, body).status_code == 403
    assert Api(token_for(coordinator, [partnership], can_write=False)).post(url, body).status_code == 403
    assert Api(token_for(coordinator, [partnership], can_write=False)).get(url).status_code == 200
    outsider = UserFactory()
    theirs = PartnershipFactory()
    grant(outsider, theirs, "coordinator")
    assert Api(token_for(outsider, [theirs])).post(url, body).status_code == 404
    assert Api(token_for(outsider, [theirs])).get(url).status_code == 404
    assert not Membership.objects.exists()


def test_invite_to_a_role_list_and_withdraw(setup: Any) -> None:
    coordinator, member, partnership = setup
    api = Api(token_for(coordinator, [partnership]))
    url = f"/api/v1/partnerships/{partnership.pk}/invitations"
    sent = api.post(url, {"email": "New.Person@example.org", "name": "New Person", "role": "observer"})
    assert sent.status_code == 201, sent.content
    assert sent.json()["email"] == "new.person@example.org" and len(mail.outbox) == 1
    refused = api.post(url, {"email": "x@example.org", "role": "observer", "is_signatory": True})
    assert refused.status_code == 422 and refused.json()["invalid_params"][0]["name"] == "role"
    listed = api.get(url).json()["items"]
    assert [i["email"] for i in listed] == ["new.person@example.org"]
    assert (
        Api(token_for(member, [partnership])).get(url).status_code == 403
    )  # as on the people and roles page
    gone = api.send("delete", f"{url}/{sent.json()['id']}")
    assert gone.status_code == 204 and RoleInvitation.objects.get().revoked_at is not None
    assert api.send("delete", f"{url}/{sent.json()['id']}").status_code == 409
    other = RoleInvitationFactory(partnership=PartnershipFactory())
    assert api.send("delete", f"{url}/{other.pk}").status_code == 404


def test_roles_change_signing_and_end_but_keep_a_coordinator(setup: Any) -> None:
    coordinator, member, partnership = setup
    api = Api(token_for(coordinator, [partnership]))
    org = OrganisationFactory()
    MembershipFactory(partnership=partnership, organisation=org)
    rep_user = UserFactory()
    rep = PartnershipRole.objects.create(
        user=rep_user, partnership=partnership, role="representative", organisation=org
    )
    url = f"/api/v1/partnerships/{partnership.pk}/roles"
    roles = api.get(url).json()["items"]
    assert {r["role"] for r in roles} == {"coordinator", "member", "representative"}
    signs = api.send("patch", f"{url}/{rep.pk}", {"is_signatory": True})
    assert signs.status_code == 200 and signs.json()["is_signatory"] is True
    member_role = PartnershipRole.objects.get(user=member)
    assert api.send("patch", f"{url}/{member_role.pk}", {"is_signatory": True}).status_code == 422
    only = PartnershipRole.objects.get(user=coordinator)
    last = api.send("delete", f"{url}/{only.pk}")
    assert last.status_code == 422 and "only coordinator" in last.json()["detail"]
    assert api.send("delete", f"{url}/{member_role.pk}").status_code == 204
    assert not PartnershipRole.objects.filter(user=member).exists()


def test_the_timeline_filters_by_kind_and_day(setup: Any) -> None:
    coordinator, _member, partnership = setup
    for kind, day in (("merger", datetime.date(2020, 1, 1)), ("merger", datetime.date(2025, 1, 1))):
        TimelineEvent.objects.create(partnership=partnership, kind=kind, date=day, title=kind)
    api = Api(user=coordinator)
    url = f"/api/v1/partnerships/{partnership.pk}/timeline"
    assert len(api.get(url, {"kind": "merger", "since": "2024-01-01"}).json()["items"]) == 1
    assert api.get(url, {"since": "yesterday"}).status_code == 422
