"""The "needs you" home lists what is waiting for the user themselves: surveys they were invited to and have not
answered (from the invitation alone, so anonymous answers stay unlinkable), and invitations to roles sent to their
own address, which they can accept from there, signed in."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from joinedup.core.choices import AuditVerb, RoleKind
from joinedup.core.models import AuditEvent
from joinedup.register.models import PartnershipRole, RoleInvitation
from joinedup.surveys import services as survey_services
from joinedup.surveys.choices import Anonymity, WaveStatus
from joinedup.surveys.models import Invitation, Response
from tests.assessments.helpers import make_wave
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    RoleInvitationFactory,
    UserFactory,
)
from tests.register.test_needs import home

pytestmark = pytest.mark.django_db


def open_wave(**kwargs: Any) -> Any:
    wave = make_wave(PartnershipFactory(name="Kingsford Health and Care"), **kwargs)
    survey_services.wave_open(by=None, wave=wave)
    return wave


def sent_to(wave: Any, email: str, **kwargs: Any) -> Invitation:
    return InvitationFactory(
        wave=wave, email=email, sent_at=timezone.now() - datetime.timedelta(days=2), **kwargs
    )


# ---- surveys to answer ----------------------------------------------------------------------------------


def test_a_survey_to_answer_is_on_the_invitees_home_until_it_is_answered(client: Any) -> None:
    user = UserFactory(email="sam@kingsford.example")
    wave = open_wave(title="Health check 2026", closes=timezone.localdate() + datetime.timedelta(days=9))
    invitation = sent_to(wave, "sam@kingsford.example")
    item = "Answer the survey: Health check 2026"
    text = home(client, user)
    assert item in text and "You were invited at sam@kingsford.example" in text
    assert f"{reverse('surveys:answer_list')}#invitation-{invitation.pk}" in text
    assert item not in home(client, UserFactory())  # nobody else's
    Invitation.objects.filter(pk=invitation.pk).update(answered=True)
    assert item not in home(client, user)


def test_an_invitation_to_the_register_person_linked_to_the_account_counts_too(client: Any) -> None:
    user = UserFactory(email="sam@kingsford.example")
    person = PersonFactory(email="s.okafor@council.example", user=user)
    sent_to(open_wave(title="Readiness"), "s.okafor@council.example", person=person)
    assert "Answer the survey: Readiness" in home(client, user)


def test_closed_waves_and_invitations_not_yet_e_mailed_are_not_listed(client: Any) -> None:
    user = UserFactory(email="sam@kingsford.example")
    past = open_wave(
        title="Past closing",
        opens=datetime.date(2020, 1, 1),
        closes=timezone.localdate() - datetime.timedelta(days=1),
    )
    sent_to(past, user.email)
    closed = open_wave(title="Closed early")
    survey_services.wave_close(by=None, wave=closed)
    sent_to(closed, user.email)
    InvitationFactory(wave=open_wave(title="Not yet sent"), email=user.email)  # its e-mail is still queued
    text = home(client, user)
    assert "Answer the survey" not in text


def test_answering_an_anonymous_wave_takes_it_off_the_home_and_keeps_the_answers_unlinked(
    client: Any,
) -> None:
    user = UserFactory(email="sam@kingsford.example")
    wave = open_wave(title="Anonymous check", anonymity=Anonymity.ANONYMOUS)
    invitation = sent_to(wave, user.email)
    assert "Answer the survey: Anonymous check" in home(client, user)
    response, _ = survey_services.response_start(wave=wave, invitation=invitation, token="t0ken")
    survey_services.response_submit(response=response)
    assert "Answer the survey: Anonymous check" not in home(client, user)
    response = Response.objects.get(pk=response.pk)
    assert (response.invitation_id, response.resume_hash, response.submitted_at) == (None, None, None)


def test_the_invitee_can_have_a_new_link_e_mailed_once_in_ten_minutes(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(email="sam@kingsford.example")
    wave = open_wave(title="Health check 2026")
    invitation = sent_to(wave, user.email)
    old_hash = invitation.token_hash
    client.force_login(user)
    page = client.get(reverse("surveys:answer_list")).content.decode()
    assert "Health check 2026" in page and "E-mail me a new link" in page
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the e-mail is sent by a job once the request commits
        response = client.post(reverse("surveys:answer_list"), {"invitation": invitation.pk}, follow=True)
    assert "A new link is on its way to sam@kingsford.example" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["sam@kingsford.example"]]
    token = re.findall(r"/s/([^/\s]+)/", mail.outbox[0].body)[0]
    target = survey_services.link_resolve(token)
    assert target is not None and target.invitation is not None and target.invitation.pk == invitation.pk
    assert Invitation.objects.get(pk=invitation.pk).token_hash != old_hash  # the old link stops working
    assert AuditEvent.objects.filter(verb=AuditVerb.WAVE_REMINDED, actor=user).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("surveys:answer_list"), {"invitation": invitation.pk}, follow=True)
    assert "a few minutes ago" in again.content.decode()
    assert len(mail.outbox) == 1


def test_no_new_link_before_the_first_is_sent_or_after_answering(client: Any) -> None:
    user = UserFactory(email="sam@kingsford.example")
    queued = InvitationFactory(wave=open_wave(title="Queued"), email=user.email)
    answered = sent_to(open_wave(title="Answered"), user.email, answered=True)
    client.force_login(user)
    for invitation, said in ((queued, "still being sent"), (answered, "answered this survey already")):
        response = client.post(reverse("surveys:answer_list"), {"invitation": invitation.pk}, follow=True)
        assert said in response.content.decode()
    assert mail.outbox == []


def test_nobody_can_have_someone_elses_survey_link_sent(client: Any) -> None:
    wave = open_wave()
    theirs = sent_to(wave, "someone.else@example.org")
    client.force_login(UserFactory(email="sam@kingsford.example"))
    assert "someone.else@example.org" not in client.get(reverse("surveys:answer_list")).content.decode()
    response = client.post(reverse("surveys:answer_list"), {"invitation": theirs.pk}, follow=True)
    assert "There is no survey invitation for you here" in response.content.decode()
    assert mail.outbox == []


# ---- your own invitations to roles ----------------------------------------------------------------------


def test_your_own_invitation_to_a_role_is_on_your_home_and_accepted_from_there_once(client: Any) -> None:
    user = UserFactory(email="sam@kingsford.example")
    partnership = PartnershipFactory(name="Kingsford Health and Care")
    council = OrganisationFactory(name="Kingsford Borough Council")
    MembershipFactory(partnership=partnership, organisation=council)
    invitation = RoleInvitationFactory(
        partnership=partnership,
        email="sam@kingsford.example",
        role=RoleKind.REPRESENTATIVE,
        organisation=council,
        is_signatory=True,
    )
    text = home(client, user)
    assert "Accept your invitation to be a partner representative for Kingsford Borough Council" in text
    assert "with the right to sign agreements" in text
    url = reverse("register:invitation_own", args=[invitation.pk])
    assert url in text
    assert "Accept the invitation" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == partnership.get_absolute_url()
    role = PartnershipRole.objects.get(user=user, partnership=partnership)
    assert (role.role, role.organisation, role.is_signatory) == (RoleKind.REPRESENTATIVE, council, True)
    assert RoleInvitation.objects.get(pk=invitation.pk).accepted_by == user
    assert "Accept your invitation" not in home(client, user)
    again = client.post(url)
    assert again.status_code == 410 and "already been accepted" in again.content.decode()
    assert PartnershipRole.objects.filter(user=user).count() == 1


def test_someone_elses_withdrawn_or_out_of_date_invitations_are_not_yours_to_accept(client: Any) -> None:
    user = UserFactory(email="sam@kingsford.example")
    theirs = RoleInvitationFactory(email="someone.else@example.org")
    withdrawn = RoleInvitationFactory(email=user.email, revoked_at=timezone.now())
    lapsed = RoleInvitationFactory(
        email=user.email, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "Accept your invitation" not in home(client, user)
    for invitation, said in (
        (theirs, "There is no invitation for sam@kingsford.example here"),
        (withdrawn, "This invitation was withdrawn"),
        (lapsed, "run out of date"),
    ):
        url = reverse("register:invitation_own", args=[invitation.pk])
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 410 and said in response.content.decode()
    assert not PartnershipRole.objects.filter(user=user).exists()


def test_the_wave_machinery_left_open_is_still_for_those_who_run_it(client: Any) -> None:
    """Being invited to answer a wave is not running it: an invitee does not see its response rate."""
    user = UserFactory(email="sam@kingsford.example")
    wave = open_wave(title="Health check 2026")
    sent_to(wave, user.email)
    assert wave.status == WaveStatus.OPEN
    assert "Survey open: Health check 2026" not in home(client, user)
