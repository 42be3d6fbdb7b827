"""Changing the e-mail address you sign in with: a single-use link that expires goes to the new address, the
address changes only when the same user follows it, the old address is told, and both steps are audited."""

from __future__ import annotations

import datetime
import logging
import re
import socket
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import EmailChange, User
from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ACCOUNT = "/register/account/"


def ask(client: Any, new_email: str, password: str = PASSWORD) -> Any:
    return client.post(ACCOUNT, {"form": "email", "new_email": new_email, "password": password}, follow=True)


def link_in_last_email() -> str:
    found = re.findall(r"http://testserver(/register/account/email/\S+/)", mail.outbox[-1].body)
    assert len(found) == 1, mail.outbox[-1].body
    return found[0]


@pytest.fixture
def sam(client: Any) -> User:
    user = UserFactory(email="sam@old.example", full_name="Sam Okafor")
    client.force_login(user)
    return user


def test_the_address_changes_only_when_the_link_sent_to_it_is_followed(
    client: Any, sam: User, django_capture_on_commit_callbacks: Any
) -> None:
    page = ask(client, " Sam@New.Example ").content.decode()
    assert "We have e-mailed a link to sam@new.example" in page
    assert "Waiting for you to confirm <strong>sam@new.example</strong>" in page
    assert [m.to for m in mail.outbox] == [["sam@new.example"]]
    assert mail.outbox[0].subject == "Confirm your new e-mail address for JoinedUp"
    assert User.objects.get(pk=sam.pk).email == "sam@old.example"  # not yet

    link = link_in_last_email()
    assert "Use sam@new.example" in client.get(link).content.decode()  # opening it changes nothing
    assert User.objects.get(pk=sam.pk).email == "sam@old.example"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link, follow=True)
    assert "Your e-mail address is now sam@new.example" in done.content.decode()
    assert User.objects.get(pk=sam.pk).email == "sam@new.example"
    assert authenticate(username="sam@new.example", password=PASSWORD) is not None
    assert authenticate(username="sam@old.example", password=PASSWORD) is None

    notice = mail.outbox[-1]
    assert notice.to == ["sam@old.example"] and notice.subject == "Your JoinedUp e-mail address was changed"
    assert "from sam@old.example to sam@new.example" in notice.body
    events = AuditEvent.objects.filter(target_type="accounts.user", target_id=str(sam.pk)).order_by("pk")
    assert [(e.verb, e.data) for e in events] == [
        (AuditVerb.EMAIL_CHANGE_REQUESTED, {"to": "sam@new.example"}),
        (AuditVerb.EMAIL_CHANGED, {"from": "sam@old.example", "to": "sam@new.example"}),
    ]


def test_the_link_works_once(client: Any, sam: User) -> None:
    ask(client, "sam@new.example")
    link = link_in_last_email()
    client.post(link)
    again = client.post(link)
    assert again.status_code == 410 and "This link has been used" in again.content.decode()
    assert client.get(link).status_code == 410


def test_an_out_of_date_link_changes_nothing(client: Any, sam: User) -> None:
    ask(client, "sam@new.example")
    link = link_in_last_email()
    EmailChange.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410 and "run out of date" in response.content.decode()
    assert User.objects.get(pk=sam.pk).email == "sam@old.example"


def test_someone_elses_link_does_not_change_either_account(client: Any, sam: User) -> None:
    ask(client, "sam@new.example")
    link = link_in_last_email()
    other = UserFactory(email="alex@example.org")
    client.force_login(other)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410 and "sent for another account" in response.content.decode()
    assert User.objects.get(pk=other.pk).email == "alex@example.org"
    assert User.objects.get(pk=sam.pk).email == "sam@old.example"
    client.logout()
    assert client.get(link)["Location"].startswith(reverse("accounts:login"))  # signed out: sign in first


def test_an_address_another_account_uses_is_refused_when_asked_and_when_confirmed(
    client: Any, sam: User
) -> None:
    UserFactory(email="taken@example.org")
    page = ask(client, "Taken@Example.org").content.decode()
    assert "Another account uses that address" in page
    assert mail.outbox == [] and not EmailChange.objects.exists()

    ask(client, "sam@new.example")
    link = link_in_last_email()
    UserFactory(email="sam@new.example")  # someone took it meanwhile
    response = client.post(link)
    assert (
        response.status_code == 410
        and "Another account now uses sam@new.example" in response.content.decode()
    )
    assert User.objects.get(pk=sam.pk).email == "sam@old.example"


def test_a_wrong_password_or_the_same_address_is_refused(client: Any, sam: User) -> None:
    assert "That is not your password" in ask(client, "sam@new.example", password="wrong").content.decode()
    assert "That is the address you sign in with already" in ask(client, "SAM@old.example").content.decode()
    assert mail.outbox == [] and not EmailChange.objects.exists()


def test_asking_again_withdraws_the_earlier_link(client: Any, sam: User) -> None:
    ask(client, "first@new.example")
    first = link_in_last_email()
    ask(client, "second@new.example")
    response = client.post(first)
    assert response.status_code == 410 and "use the link in the newest e-mail" in response.content.decode()
    client.post(link_in_last_email())
    assert User.objects.get(pk=sam.pk).email == "second@new.example"


def test_a_confirmation_that_cannot_be_sent_keeps_nothing(client: Any, sam: User) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    with override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed):
        page = ask(client, "sam@new.example")
    assert page.status_code == 200
    assert "The e-mail to sam@new.example could not be sent, so nothing was changed" in page.content.decode()
    assert not EmailChange.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.EMAIL_CHANGE_REQUESTED).exists()


class RefusesTheOldAddress(EmailBackend):
    def send_messages(self, messages: Any) -> int:
        if any("sam@old.example" in m.to for m in messages):
            raise ConnectionRefusedError("mail server refused the connection")
        return super().send_messages(messages)


def test_a_notice_to_the_old_address_that_cannot_be_sent_is_logged_and_the_change_stands(
    client: Any, sam: User, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with override_settings(EMAIL_BACKEND=f"{__name__}.RefusesTheOldAddress"):
        ask(client, "sam@new.example")
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            response = client.post(link_in_last_email(), follow=True)
    assert response.status_code == 200
    assert User.objects.get(pk=sam.pk).email == "sam@new.example"
    assert "could not be sent to the old address" in caplog.text


def test_an_account_without_a_password_is_not_asked_for_one(client: Any) -> None:
    user = UserFactory(email="sso@old.example")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert 'name="password"' not in client.get(ACCOUNT).content.decode()
    client.post(ACCOUNT, {"form": "email", "new_email": "sso@new.example"})
    assert [m.to for m in mail.outbox] == [["sso@new.example"]]


def test_the_register_entry_follows_the_new_address_unless_it_held_another(client: Any, sam: User) -> None:
    from tests.factories import PersonFactory

    follows = PersonFactory(user=sam, email="sam@old.example")
    ask(client, "sam@new.example")
    client.post(link_in_last_email())
    follows.refresh_from_db()
    assert follows.email == "sam@new.example"
    changed = AuditEvent.objects.filter(verb=AuditVerb.PERSON_UPDATED, target_id=str(follows.pk)).get()
    assert changed.data == {"email": ["sam@old.example", "sam@new.example"]}

    kept = UserFactory(email="kim@old.example")
    typed = PersonFactory(user=kept, email="kim.work@example.org")  # typed in for them on purpose: left alone
    client.force_login(kept)
    ask(client, "kim@new.example")
    client.post(link_in_last_email())
    typed.refresh_from_db()
    assert typed.email == "kim.work@example.org"
