"""Invitations and reminders are e-mailed by a background job: the request only records who is to be asked; each
link is made (and only its hash saved) just before its e-mail goes, so no usable link is ever stored."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.surveys import services
from joinedup.surveys.choices import SEND_JOB
from joinedup.surveys.models import Invitation
from tests.assessments.helpers import make_wave as assessment_wave
from tests.assessments.helpers import partnership_with_members
from tests.conftest import grant
from tests.factories import UserFactory
from tests.surveys.test_services import link_for, make_wave, token_in

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes connections, as between requests
DATABASE_QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
PEOPLE = [services.Recipient(f"person{i}@example.org") for i in range(5)]


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0")


class FailsOnThirdMessage(EmailBackend):
    sent = 0

    def send_messages(self, messages: Any) -> int:
        FailsOnThirdMessage.sent += len(messages)
        if FailsOnThirdMessage.sent >= 3:
            raise ConnectionRefusedError("mail server refused the connection")
        return super().send_messages(messages)


@DATABASE_QUEUE
def test_invitations_are_sent_by_the_worker_with_links_that_work() -> None:
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    services.invitations_send(by=None, wave=wave, recipients=PEOPLE, link_for=link_for)
    assert mail.outbox == []  # nothing sent in the request
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()
    job = Job.objects.get(kind=SEND_JOB)
    assert job.title == f"Send 5 invitations for {wave.title}"
    assert "JOINEDUPTOKENPLACEHOLDER" in job.params["link"]  # no token is stored anywhere but as a hash

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.DONE, {"sent": 5, "skipped": 0, "uncertain": 0})
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in PEOPLE)
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 5
    for message in mail.outbox:
        target = services.link_resolve(token_in(message))
        assert target is not None and target.invitation is not None
        assert target.invitation.email == message.to[0]


@DATABASE_QUEUE
def test_a_reminder_is_not_sent_to_someone_who_answered_after_it_was_queued() -> None:
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    services.invitations_send(by=None, wave=wave, recipients=PEOPLE[:2], link_for=link_for)
    run_worker()
    tokens = {m.to[0]: token_in(m) for m in mail.outbox}
    mail.outbox.clear()
    assert services.reminders_send(by=None, wave=wave, link_for=link_for) == 2
    # person0 answers before the worker gets to the reminders
    first = services.link_resolve(tokens["person0@example.org"])
    response, _ = services.response_start(
        wave=wave, invitation=first.invitation, token=tokens["person0@example.org"]
    )
    services.response_submit(response=response)

    run_worker()
    assert [m.to[0] for m in mail.outbox] == ["person1@example.org"]
    assert Job.objects.get(title__startswith="Send 2 reminders").result == {
        "sent": 1,
        "skipped": 1,
        "uncertain": 0,
    }
    assert Invitation.objects.get(email="person1@example.org").reminders == 1
    assert Invitation.objects.get(email="person0@example.org").reminders == 0


@DATABASE_QUEUE
@override_settings(EMAIL_BACKEND="tests.surveys.test_send_jobs.FailsOnThirdMessage")
def test_when_the_mail_server_fails_the_job_says_how_many_went() -> None:
    FailsOnThirdMessage.sent = 0
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    services.invitations_send(by=None, wave=wave, recipients=PEOPLE, link_for=link_for)
    run_worker()
    job = Job.objects.get(kind=SEND_JOB)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("2 of 5 invitations were sent before sending failed (mail server refused")
    assert "Send reminders later" in job.error
    assert len(mail.outbox) == 2
    for message in mail.outbox:  # the links that did go out work
        assert services.link_resolve(token_in(message)) is not None
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 2  # the refused one is not marked sent
    assert re.match(r"Send 5 invitations", job.title)


@DATABASE_QUEUE
def test_the_wave_page_shows_the_sending_until_it_is_done(client: Any) -> None:
    partnership, _ = partnership_with_members()
    coordinator, member = UserFactory(), UserFactory()
    grant(coordinator, partnership, "coordinator")
    grant(member, partnership, "member")
    wave = assessment_wave(partnership)
    services.wave_open(by=None, wave=wave)
    client.force_login(coordinator)
    url = reverse("surveys:wave_detail", args=[wave.pk])
    client.post(reverse("surveys:wave_invite", args=[wave.pk]), {"emails": "a@example.org\nb@example.org"})

    page = client.get(url).content.decode()
    assert f"Send 2 invitations for {wave.title}." in page
    assert f'hx-get="{url}?part=sending"' in page
    assert client.get(url, {"part": "sending"}, headers={"HX-Request": "true"}).status_code == 200
    client.force_login(member)
    assert "Send 2 invitations" not in client.get(url).content.decode()  # for those who run the wave

    client.force_login(coordinator)
    run_worker()
    done = client.get(url, {"part": "sending"}, headers={"HX-Request": "true"})
    assert done.status_code == 286 and "Finished" in done.content.decode()
    assert "Send 2 invitations" not in client.get(url).content.decode()
    assert len(mail.outbox) == 2


@DATABASE_QUEUE
@override_settings(EMAIL_BACKEND="tests.surveys.test_send_jobs.FailsOnThirdMessage")
def test_trying_a_failed_send_again_sends_only_to_those_not_reached_once_each() -> None:
    from joinedup.core.jobs import job_retry

    FailsOnThirdMessage.sent = 0
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    services.invitations_send(by=None, wave=wave, recipients=PEOPLE, link_for=link_for)
    run_worker()
    failed = Job.objects.get(kind=SEND_JOB)
    first = [m.to[0] for m in mail.outbox]
    assert len(first) == 2
    FailsOnThirdMessage.sent = -100  # the mail server is back
    again = job_retry(by=None, job=failed)
    run_worker()
    again.refresh_from_db()
    assert again.status == JobStatus.DONE, again.error
    assert again.result == {"sent": 5, "skipped": 0, "uncertain": 0}  # the chain of tries sent all five
    everyone = [m.to[0] for m in mail.outbox]
    assert sorted(everyone) == sorted(p.email for p in PEOPLE)  # each person exactly once
    for message in mail.outbox[2:]:
        assert services.link_resolve(token_in(message)) is not None
    # Run the finished job once more (as a worker would after dying just before recording it): nothing is sent.
    Job.objects.filter(pk=again.pk).update(status=JobStatus.QUEUED, finished_at=None)
    from joinedup.core.jobs import job_run_here

    job_run_here(str(again.pk))
    assert len(mail.outbox) == 5
    assert Job.objects.get(pk=again.pk).result == {"sent": 5, "skipped": 0, "uncertain": 0}
