"""The "needs you" home: each person sees what waits for them across their partnerships, most urgent first,
and nothing that is someone else's; the page costs the same number of queries for 5 partnerships or 50."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.agreements import services as agreement_services
from joinedup.agreements.models import AgreementVersion
from joinedup.core.choices import JobStatus
from joinedup.surveys.choices import WaveStatus
from tests.agreements.helpers import make_place, proposed_version, sign_all
from tests.assessments.helpers import make_wave
from tests.conftest import grant
from tests.factories import InvitationFactory, JobFactory, RoleInvitationFactory, UserFactory
from tests.query_counts import assert_num_queries_stable

pytestmark = pytest.mark.django_db


def home(client: Any, user: Any) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_signatory_sees_the_proposal_waiting_for_their_organisation_until_it_is_signed(client: Any) -> None:
    place = make_place(members=2)
    version = proposed_version(place)
    first, second = place.orgs
    waiting = f"Sign {version.agreement.title} (version {version.number})"
    assert waiting in home(client, place.signatories[first.pk])
    assert f"{first.name} has not signed it yet" in home(client, place.signatories[first.pk])
    assert waiting not in home(client, place.reps[first.pk])  # represents, does not sign
    agreement_services.version_sign(
        by=place.signatories[first.pk], version=version, organisation=first, content_hash=version.content_hash
    )
    assert waiting not in home(client, place.signatories[first.pk])
    assert waiting in home(client, place.signatories[second.pk])
    assert "Nothing is waiting for you" in home(client, UserFactory())


def test_an_objection_is_for_the_coordinator_to_answer(client: Any) -> None:
    place = make_place(members=2)
    version = proposed_version(place)
    org = place.orgs[0]
    agreement_services.position_record(
        by=place.reps[org.pk],
        version=version,
        organisation=org,
        position="object",
        reason="The budget is wrong",
    )
    assert "Answer 1 objection to Memorandum" in home(client, place.coordinator)
    assert "Answer 1 objection" not in home(client, place.reps[place.orgs[1].pk])


def test_reviews_overdue_come_first_and_only_for_those_who_record_them(client: Any) -> None:
    place = make_place(members=2)
    version = proposed_version(place, review_interval_months=12)
    sign_all(place, version)
    long_ago = timezone.now() - datetime.timedelta(days=500)
    AgreementVersion.objects.filter(pk=version.pk).update(in_force_at=long_ago)
    wave = make_wave(place.partnership, closes=timezone.localdate() + datetime.timedelta(days=3))
    wave.status = WaveStatus.OPEN
    wave.save()
    InvitationFactory.create_batch(4, wave=wave)
    text = home(client, place.coordinator)
    assert "Review Memorandum" in text and "Overdue" in text and "was due on" in text
    assert text.index("Review Memorandum") < text.index(f"Survey open: {wave.title}")  # overdue first
    assert "0 of 4 invited have answered (0 %)" in text
    assert "Review Memorandum" not in home(client, place.signatories[place.orgs[0].pk])
    assert "Survey open" not in home(client, place.signatories[place.orgs[0].pk])


def test_invitations_not_accepted_and_background_work(client: Any) -> None:
    place = make_place(members=1)
    RoleInvitationFactory(partnership=place.partnership)
    RoleInvitationFactory(
        partnership=place.partnership, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    RoleInvitationFactory(partnership=place.partnership, revoked_at=timezone.now())
    JobFactory(created_by=place.coordinator, title="Analyse the network files", status=JobStatus.FAILED)
    JobFactory(created_by=UserFactory(), title="Someone else's import", status=JobStatus.FAILED)
    text = home(client, place.coordinator)
    assert "2 invitations not yet accepted" in text and "1 out of date (send again)" in text
    assert "Analyse the network files" in text and "It failed" in text
    assert "Someone else&#x27;s import" not in text and "Someone else's import" not in text
    assert "invitations not yet accepted" not in home(client, place.signatories[place.orgs[0].pk])


def test_the_home_page_costs_the_same_for_5_partnerships_or_50(client: Any) -> None:
    user = UserFactory()

    def add(n: int) -> None:
        for _ in range(n):
            place = make_place(members=1)
            org = place.orgs[0]
            grant(user, place.partnership, "coordinator")
            grant(user, place.partnership, "representative", organisation=org, is_signatory=True)
            proposed_version(place)
            RoleInvitationFactory(partnership=place.partnership)
            RoleInvitationFactory(partnership=place.partnership, email=user.email)  # their own, to accept
            wave = make_wave(place.partnership)
            wave.status = WaveStatus.OPEN
            wave.save()
            InvitationFactory(wave=wave, email=user.email, sent_at=timezone.now())  # a survey to answer
            JobFactory(created_by=user, status=JobStatus.RUNNING)

    client.force_login(user)
    assert_num_queries_stable(client, reverse("home"), setup=add)
    text = client.get(reverse("home")).content.decode()
    assert (
        text.count("Answer the survey:") == 50 and text.count("Accept your invitation to be a member") == 50
    )


def test_one_member_organisation_is_not_organisations(client: Any) -> None:
    place = make_place(members=1)
    text = home(client, place.coordinator)
    assert "· 1 member organisation</p>" in text
