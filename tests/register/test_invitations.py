"""People and roles without the admin: a coordinator invites by e-mail; the link is single-use, expires, can be
sent again (the old link stops) and withdrawn; accepting makes the account and grants the role; roles are
changed and ended through the access rules; a representative must work for the organisation they speak for."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from joinedup.core.choices import AuditVerb, RoleKind
from joinedup.core.models import AuditEvent
from joinedup.core.permissions import Permission, has_permission
from joinedup.register.models import Affiliation, PartnershipRole, RoleInvitation
from tests.conftest import grant
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STRONG = "kettle-orchard-pebble-41"


@pytest.fixture
def setup(client: Any) -> dict[str, Any]:
    partnership = PartnershipFactory(name="Kingsford Health and Care")
    council = OrganisationFactory(name="Kingsford Borough Council")
    MembershipFactory(partnership=partnership, organisation=council)
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    client.force_login(coordinator)
    return {"partnership": partnership, "council": council, "coordinator": coordinator}


def roles_url(partnership: Any) -> str:
    return reverse("register:partnership_roles", args=[partnership.pk])


def invite(client: Any, partnership: Any, **fields: Any) -> Any:
    data = {"email": "sam@kingsford.example", "name": "Sam Okafor", "role": "member", **fields}
    return client.post(roles_url(partnership), data)


def link_in_last_email() -> str:
    found = re.findall(r"https?://\S+/register/invitation/\S+/", mail.outbox[-1].body)
    assert len(found) == 1, mail.outbox[-1].body
    return found[0].split("testserver", 1)[1]


def test_coordinator_invites_and_the_person_makes_an_account_and_holds_the_role(
    client: Any, setup: Any
) -> None:
    p = setup["partnership"]
    response = invite(client, p, role="evaluator")
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["sam@kingsford.example"]
    assert "Kingsford Health and Care" in mail.outbox[-1].subject
    assert "evaluator" in mail.outbox[-1].body and "14 days" in mail.outbox[-1].body
    link = link_in_last_email()
    page = client.get(roles_url(p)).content.decode()
    assert "sam@kingsford.example" in page and "Invitations waiting" in page

    client.logout()
    opened = client.get(link).content.decode()
    assert "Join Kingsford Health and Care" in opened and "evaluator" in opened
    done = client.post(link, {"full_name": "Sam Okafor", "password1": STRONG, "password2": STRONG})
    assert done.status_code == 302 and done["Location"] == p.get_absolute_url()
    user = get_user_model().objects.get(email="sam@kingsford.example")
    assert user.full_name == "Sam Okafor" and user.check_password(STRONG)
    assert has_permission(user, Permission.EXPORT, p) and not has_permission(user, Permission.ROLE_MANAGE, p)
    assert client.get(p.get_absolute_url()).status_code == 200  # signed in as the new account
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {AuditVerb.ROLE_INVITED, AuditVerb.ROLE_INVITATION_ACCEPTED, AuditVerb.ROLE_GRANTED} <= verbs

    # single use: the same link again (signed out or in) grants nothing more
    again = client.get(link)
    assert again.status_code == 410 and "already been accepted" in again.content.decode()
    client.logout()
    assert client.post(link, {"full_name": "X", "password1": STRONG, "password2": STRONG}).status_code == 410
    assert PartnershipRole.objects.filter(user=user).count() == 1


def test_a_weak_password_or_two_different_ones_are_refused_and_nothing_is_made(
    client: Any, setup: Any
) -> None:
    invite(client, setup["partnership"])
    link = link_in_last_email()
    client.logout()
    weak = client.post(link, {"full_name": "Sam", "password1": "password", "password2": "password"})
    assert weak.status_code == 200 and "too common" in weak.content.decode()
    differ = client.post(link, {"full_name": "Sam", "password1": STRONG, "password2": STRONG + "x"})
    assert "not the same" in differ.content.decode()
    assert not get_user_model().objects.filter(email="sam@kingsford.example").exists()
    assert RoleInvitation.objects.get().pending


def test_an_out_of_date_link_and_a_withdrawn_one_do_not_work(client: Any, setup: Any) -> None:
    p = setup["partnership"]
    invite(client, p)
    link = link_in_last_email()
    invitation = RoleInvitation.objects.get()
    RoleInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.logout()
    gone = client.get(link)
    assert gone.status_code == 410 and "out of date" in gone.content.decode()
    post = client.post(link, {"full_name": "Sam", "password1": STRONG, "password2": STRONG})
    assert (
        post.status_code == 410
        and not get_user_model().objects.filter(email="sam@kingsford.example").exists()
    )

    client.force_login(setup["coordinator"])
    manage = reverse("register:invitation_manage", args=[p.pk, invitation.pk])
    client.post(manage, {"action": "revoke"})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "No invitations are waiting" in client.get(roles_url(p)).content.decode()
    client.logout()
    assert "withdrawn" in client.get(link).content.decode()


def test_sending_again_gives_a_new_link_and_the_old_one_stops(client: Any, setup: Any) -> None:
    p = setup["partnership"]
    invite(client, p)
    old = link_in_last_email()
    invitation = RoleInvitation.objects.get()
    RoleInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    client.post(reverse("register:invitation_manage", args=[p.pk, invitation.pk]), {"action": "resend"})
    new = link_in_last_email()
    assert new != old and "new link" in mail.outbox[-1].body
    client.logout()
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200  # and valid for another 14 days


def test_a_representative_must_work_for_the_organisation(client: Any, setup: Any) -> None:
    p, council = setup["partnership"], setup["council"]
    refused = invite(client, p, role="representative", organisation=council.pk, is_signatory="on")
    text = refused.content.decode()
    assert refused.status_code == 200 and "works for Kingsford Borough Council" in text
    assert not RoleInvitation.objects.exists() and not mail.outbox

    outsider = OrganisationFactory(name="Not A Member Ltd")
    refused = invite(client, p, role="representative", organisation=outsider.pk)
    assert "Select a valid choice" in refused.content.decode()  # only current members are offered

    recorded = invite(
        client, p, role="representative", organisation=council.pk, is_signatory="on", record_affiliation="on"
    )
    assert recorded.status_code == 302
    affiliation = Affiliation.objects.get(organisation=council)
    assert affiliation.person.email == "sam@kingsford.example" and affiliation.person.name == "Sam Okafor"
    link = link_in_last_email()
    client.logout()
    client.post(link, {"full_name": "Sam Okafor", "password1": STRONG, "password2": STRONG})
    user = get_user_model().objects.get(email="sam@kingsford.example")
    assert has_permission(user, Permission.AGREEMENT_SIGN, p, organisation=council)
    assert (
        affiliation.person.__class__.objects.get(pk=affiliation.person.pk).user == user
    )  # register person linked


def test_an_affiliated_person_is_invited_as_representative_without_more(client: Any, setup: Any) -> None:
    p, council = setup["partnership"], setup["council"]
    AffiliationFactory(person=PersonFactory(email="Sam@Kingsford.example"), organisation=council)
    assert invite(client, p, role="representative", organisation=council.pk).status_code == 302
    assert Affiliation.objects.count() == 1


def test_an_existing_account_signs_in_and_accepts_and_another_account_cannot(client: Any, setup: Any) -> None:
    p = setup["partnership"]
    sam = UserFactory(email="sam@kingsford.example")
    invite(client, p, role="observer")
    link = link_in_last_email()
    client.logout()
    page = client.get(link).content.decode()
    assert "already an account" in page and "Sign in" in page
    assert client.post(link, {}).status_code == 302  # to sign in; nothing granted
    assert not PartnershipRole.objects.filter(user=sam).exists()

    client.force_login(UserFactory(email="someone.else@kingsford.example"))
    wrong = client.post(link)
    assert (
        wrong.status_code == 410 and "signed in as someone.else@kingsford.example" in wrong.content.decode()
    )
    client.force_login(sam)
    assert client.post(link).status_code == 302
    assert PartnershipRole.objects.get(user=sam).role == RoleKind.OBSERVER


def test_roles_are_changed_and_ended_and_the_last_coordinator_stays(client: Any, setup: Any) -> None:
    p, council = setup["partnership"], setup["council"]
    rep = UserFactory()
    role = grant(rep, p, "representative", organisation=council)
    manage = reverse("register:role_manage", args=[p.pk, role.pk])
    assert not has_permission(rep, Permission.AGREEMENT_SIGN, p, organisation=council)
    client.post(manage, {"action": "sign"})
    rep = get_user_model().objects.get(pk=rep.pk)
    assert has_permission(rep, Permission.AGREEMENT_SIGN, p, organisation=council)
    client.post(manage, {"action": "unsign"})
    rep = get_user_model().objects.get(pk=rep.pk)
    assert not has_permission(rep, Permission.AGREEMENT_SIGN, p, organisation=council)
    client.post(manage, {"action": "end"})
    rep = get_user_model().objects.get(pk=rep.pk)
    assert not has_permission(rep, Permission.PARTNERSHIP_VIEW, p)
    assert AuditEvent.objects.filter(verb=AuditVerb.ROLE_ENDED).count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.ROLE_CHANGED).count() == 2

    own = PartnershipRole.objects.get(user=setup["coordinator"], partnership=p)
    page = client.get(roles_url(p)).content.decode()
    assert "The only coordinator" in page and 'value="end"' not in page  # no button that would be refused
    page = client.post(reverse("register:role_manage", args=[p.pk, own.pk]), {"action": "end"}, follow=True)
    assert "only coordinator" in page.content.decode()
    assert PartnershipRole.objects.filter(pk=own.pk).exists()


def test_only_who_may_manage_roles_invites_or_changes_them(client: Any, setup: Any) -> None:
    p, council = setup["partnership"], setup["council"]
    role = grant(UserFactory(), p, "representative", organisation=council)
    for kind in ("representative", "member", "evaluator", "observer"):
        user = UserFactory()
        grant(user, p, kind, **({"organisation": council} if kind == "representative" else {}))
        client.force_login(user)
        assert client.get(roles_url(p)).status_code == 403
        assert invite(client, p).status_code == 403
        assert (
            client.post(reverse("register:role_manage", args=[p.pk, role.pk]), {"action": "sign"}).status_code
            == 403
        )
    assert not RoleInvitation.objects.exists()
    assert not PartnershipRole.objects.get(pk=role.pk).is_signatory
    client.force_login(UserFactory())  # of no partnership: it is not revealed
    assert client.get(roles_url(p)).status_code == 404


def test_a_role_of_another_partnership_cannot_be_changed_from_this_one(client: Any, setup: Any) -> None:
    other = PartnershipFactory()
    theirs = grant(UserFactory(), other, "member")
    response = client.post(
        reverse("register:role_manage", args=[setup["partnership"].pk, theirs.pk]), {"action": "end"}
    )
    assert response.status_code == 404
    assert PartnershipRole.objects.filter(pk=theirs.pk).exists()
