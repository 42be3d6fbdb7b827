"""E-mail: SMTP by default, GOV.UK Notify when its key is set, always a plain-text body, and a send that fails is
told to the person in plain words (never a traceback) and logged.

The Notify backend runs the real `notifications-python-client` against a stand-in API on loopback that checks the
request as the client sent it: the path, the JSON body and the signed token (verified here with PyJWT and the
secret from the key). SMTP runs against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import ast
import logging
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.test import override_settings
from django.urls import reverse

from joinedup.core.choices import JobStatus
from joinedup.core.mail import MailNotSent, send_plain
from joinedup.core.models import Job
from joinedup.register.models import RoleInvitation
from joinedup.surveys import services as survey_services
from joinedup.surveys.choices import SEND_JOB
from joinedup.surveys.models import Invitation
from tests.conftest import grant
from tests.core.mail_servers import FakeNotify, notify_server, smtp_server
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory

REPO = Path(__file__).resolve().parents[2]
NOTIFY = "joinedup.core.mail.NotifyEmailBackend"
TEMPLATE = str(uuid.uuid4())


def notify_settings(fake: FakeNotify) -> Any:
    return override_settings(
        EMAIL_BACKEND=NOTIFY,
        NOTIFY_API_KEY=fake.api_key,
        NOTIFY_TEMPLATE_ID=TEMPLATE,
        NOTIFY_BASE_URL=fake.url,
    )


# ---- GOV.UK Notify --------------------------------------------------------------------------------------


def test_notify_gets_one_signed_request_per_recipient_with_the_template_and_the_text() -> None:
    body = "Please answer the survey.\n\nhttps://joinedup.example.org/s/abc/\n"
    with notify_server() as fake, notify_settings(fake):
        send_plain(subject="Please answer: Readiness 2026", body=body, to=["a@example.org", "b@example.org"])
    assert [r.path for r in fake.requests] == ["/v2/notifications/email"] * 2
    assert [r.body for r in fake.requests] == [
        {
            "email_address": address,
            "template_id": TEMPLATE,
            "personalisation": {"subject": "Please answer: Readiness 2026", "body": body},
        }
        for address in ("a@example.org", "b@example.org")
    ]
    for request in fake.requests:
        assert request.headers["content-type"] == "application/json"
        scheme, token = request.headers["authorization"].split(" ", 1)
        assert scheme == "Bearer"
        assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "HS256"}
        claims = jwt.decode(token, fake.secret, algorithms=["HS256"])  # raises unless signed with the secret
        assert claims["iss"] == fake.service_id
        assert abs(time.time() - claims["iat"]) < 30  # Notify refuses tokens more than 30 seconds off
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(token, str(uuid.uuid4()), algorithms=["HS256"])


def test_notify_sends_the_text_of_a_message_that_also_has_html() -> None:
    message = EmailMultiAlternatives("Subject", "The text", "x@example.org", ["a@example.org"])
    message.attach_alternative("<p>The html</p>", "text/html")
    with notify_server() as fake, notify_settings(fake):
        assert message.send() == 1
    assert fake.requests[0].body["personalisation"]["body"] == "The text"


def test_notify_refuses_a_message_without_a_plain_text_body(caplog: Any) -> None:
    message = EmailMessage("Subject", "<p>Only html</p>", "x@example.org", ["a@example.org"])
    message.content_subtype = "html"
    with notify_server() as fake, notify_settings(fake), pytest.raises(MailNotSent, match="plain-text"):
        message.send()
    assert fake.requests == []


@pytest.mark.parametrize(
    ("status", "answer", "said"),
    [
        (
            400,
            {
                "status_code": 400,
                "errors": [
                    {"error": "ValidationError", "message": "email_address Not a valid email address"}
                ],
            },
            "email_address Not a valid email address",
        ),
        (
            403,
            {"status_code": 403, "errors": [{"error": "AuthError", "message": "Invalid token: signature"}]},
            "Invalid token",
        ),
        (500, {"message": "Internal server error", "result": "error"}, "Internal server error"),
    ],
)
def test_notify_refusing_is_logged_and_raised_as_not_sent(
    caplog: Any, status: int, answer: Any, said: str
) -> None:
    with notify_server() as fake, notify_settings(fake):
        fake.status, fake.answer = status, answer
        with (
            caplog.at_level(logging.ERROR, logger="joinedup.core.mail"),
            pytest.raises(MailNotSent) as raised,
        ):
            send_plain(subject="Hello", body="Text", to=["someone@example.org"])
    assert f"{status}" in str(raised.value) and said in str(raised.value)
    logged = [r for r in caplog.records if r.name == "joinedup.core.mail" and r.levelno == logging.ERROR]
    assert len(logged) == 1 and "GOV.UK Notify did not send" in logged[0].getMessage()
    assert said in logged[0].getMessage()
    assert "someone@example.org" not in caplog.text  # the address is personal data


def test_notify_out_of_reach_is_not_sent() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    fake = FakeNotify(url=closed)
    with notify_settings(fake), pytest.raises(MailNotSent, match="503"):
        send_plain(subject="Hello", body="Text", to=["someone@example.org"])


def test_fail_silently_counts_only_what_went() -> None:
    with notify_server() as fake, notify_settings(fake):
        fake.status, fake.answer = 500, {"message": "Internal server error"}
        sent = mail.get_connection(fail_silently=True).send_messages(
            [EmailMessage("S", "Text", "x@example.org", ["a@example.org"])]
        )
    assert sent == 0


# ---- what the product does when an e-mail cannot go -------------------------------------------------------


@pytest.fixture
def coordinator(client: Any, db: None) -> Any:
    partnership = PartnershipFactory(name="Kingsford Health and Care")
    MembershipFactory(partnership=partnership, organisation=OrganisationFactory())
    user = UserFactory()
    grant(user, partnership, "coordinator")
    client.force_login(user)
    return partnership


def invite(client: Any, partnership: Any) -> Any:
    data = {"email": "sam@kingsford.example", "name": "Sam Okafor", "role": "member"}
    return client.post(reverse("register:partnership_roles", args=[partnership.pk]), data)


def test_a_role_invitation_notify_refuses_is_not_kept_and_the_coordinator_is_told(
    client: Any, coordinator: Any, caplog: Any
) -> None:
    with notify_server() as fake, notify_settings(fake), caplog.at_level(logging.ERROR):
        fake.status, fake.answer = 500, {"message": "Internal server error"}
        response = invite(client, coordinator)
    assert response.status_code == 200
    assert (
        "The e-mail to sam@kingsford.example could not be sent, so nothing was changed"
        in response.content.decode()
    )
    assert not RoleInvitation.objects.exists()
    assert "GOV.UK Notify did not send" in caplog.text


def test_sending_an_invitation_again_that_fails_keeps_the_old_link(client: Any, coordinator: Any) -> None:
    invite(client, coordinator)  # sent by the tests' outbox
    invitation = RoleInvitation.objects.get()
    link = re.findall(r"/register/invitation/\S+/", mail.outbox[-1].body)[0]
    with notify_server() as fake, notify_settings(fake):
        fake.status, fake.answer = (
            400,
            {
                "errors": [
                    {
                        "error": "BadRequestError",
                        "message": "Can't send to this recipient using a team-only API key",
                    }
                ]
            },
        )
        response = client.post(
            reverse("register:invitation_manage", args=[coordinator.pk, invitation.pk]),
            {"action": "resend"},
            follow=True,
        )
    assert (
        "could not be sent, so nothing was changed (the link sent before still works)"
        in response.content.decode()
    )
    client.logout()
    assert "Sam Okafor" in client.get(link).content.decode()  # the first link still opens the invitation


@pytest.mark.django_db(transaction=True)
def test_a_survey_send_job_that_notify_refuses_fails_with_a_clear_message() -> None:
    from tests.surveys.test_send_jobs import DATABASE_QUEUE, run_worker
    from tests.surveys.test_services import link_for, make_wave

    wave = make_wave()
    survey_services.wave_open(by=None, wave=wave)
    with DATABASE_QUEUE:
        survey_services.invitations_send(
            by=None, wave=wave, recipients=[survey_services.Recipient("a@example.org")], link_for=link_for
        )
        with notify_server() as fake, notify_settings(fake):
            fake.status, fake.answer = 500, {"message": "Internal server error"}
            run_worker()
    job = Job.objects.get(kind=SEND_JOB)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith(
        "0 of 1 invitations were sent before sending failed (GOV.UK Notify did not send"
    )
    assert "Internal server error" in job.error
    assert Invitation.objects.get().sent_at is None


# ---- SMTP -------------------------------------------------------------------------------------------------


def test_smtp_delivers_a_role_invitation_as_plain_text(client: Any, coordinator: Any) -> None:
    with (
        smtp_server() as (port, received),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ),
    ):
        response = invite(client, coordinator)
    assert response.status_code == 302
    assert len(received) == 1
    message = received[0].message
    assert received[0].recipients == ["sam@kingsford.example"]
    assert message["Subject"] == "You are invited to Kingsford Health and Care on JoinedUp"
    assert message.get_content_type() == "text/plain"
    assert re.search(r"http://testserver/register/invitation/\S+/", message.get_content())


def test_an_smtp_server_out_of_reach_leaves_no_invitation_and_says_so(client: Any, coordinator: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed
    ):
        response = invite(client, coordinator)
    assert response.status_code == 200
    assert "could not be sent, so nothing was changed" in response.content.decode()
    assert not RoleInvitation.objects.exists()


# ---- which backend, from the environment --------------------------------------------------------------------


def backend_for(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "JOINEDUP_DEMO", "SECRET_KEY", "DATABASE_URL", "EMAIL_BACKEND"}
        and not k.startswith("NOTIFY_")
    }
    clean.update({"SECRET_KEY": "x" * 60, **env})
    return subprocess.run(
        [sys.executable, "-c", "import joinedup.settings as s; print(s.EMAIL_BACKEND)"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_sends_by_smtp_debug_prints_and_a_notify_key_chooses_notify() -> None:
    assert backend_for().stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
    assert backend_for(DEBUG="true").stdout.strip() == "django.core.mail.backends.console.EmailBackend"
    key = FakeNotify().api_key
    assert backend_for(NOTIFY_API_KEY=key, NOTIFY_TEMPLATE_ID=TEMPLATE).stdout.strip() == NOTIFY
    named = backend_for(NOTIFY_API_KEY=key, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
    assert named.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"  # a named backend wins
    missing = backend_for(NOTIFY_API_KEY=key)
    assert (
        missing.returncode != 0
        and "NOTIFY_TEMPLATE_ID" in missing.stderr
        and "docs/email.md" in missing.stderr
    )


# ---- every message is plain text, made in one place -----------------------------------------------------------

SENDERS = {
    "EmailMessage",
    "EmailMultiAlternatives",
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
}


def test_the_product_sends_e_mail_only_through_send_plain() -> None:
    """`core.mail.send_plain` makes every message plain text; any other way of sending would bypass it. (Django's
    own password-reset e-mail is plain text too: the tests' outbox check in conftest.py sees it.)"""
    found = []
    for path in sorted((REPO / "src" / "joinedup").rglob("*.py")):
        if path.name == "mail.py" and path.parent.name == "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            named = (
                [a.name for a in node.names]
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail")
                else [node.attr]
                if isinstance(node, ast.Attribute)
                else []
            )
            found += [f"{path.relative_to(REPO)}:{node.lineno} {name}" for name in named if name in SENDERS]  # type: ignore[attr-defined]
    assert found == [], "send e-mail with joinedup.core.mail.send_plain"
