"""The demo mailbox shows what the demo "sent", so a newcomer opens an invitation without a mail server; outside
demo mode it does not exist (404)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.mail import EmailMessage, get_connection
from django.test import override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def send(folder: Path, to: str, subject: str, body: str) -> None:
    connection = get_connection(FILE_BACKEND, file_path=str(folder))
    EmailMessage(subject, body, "joinedup@example.org", [to], connection=connection).send()


def test_the_mailbox_lists_every_message_and_shows_its_links(client: Any, tmp_path: Path) -> None:
    send(
        tmp_path,
        "amira@kingsford.example",
        "You are invited to Kingsford",
        "Open http://testserver/register/invitation/abc/ now",
    )
    connection = get_connection(FILE_BACKEND, file_path=str(tmp_path))
    connection.send_messages(  # two in one file
        [
            EmailMessage(
                "Survey: health check",
                "Answer here: http://testserver/s/xyz/",
                "j@example.org",
                ["a@x.example"],
            ),
            EmailMessage("Reminder – health check", "Still open", "j@example.org", ["b@x.example"]),
        ]
    )
    with override_settings(DEMO=True, EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=str(tmp_path)):
        page = client.get("/demo/mail/").content.decode()
        for text in (
            "amira@kingsford.example",
            "You are invited to Kingsford",
            "Survey: health check",
            "Reminder – health check",
            "b@x.example",
        ):
            assert text in page
        refs = re.findall(r'href="/demo/mail/([^"/]+)/"', page)
        assert len(refs) == 3
        bodies = [client.get(f"/demo/mail/{ref}/").content.decode() for ref in refs]
        assert any('<a href="http://testserver/register/invitation/abc/"' in b for b in bodies)
        assert any("Still open" in b for b in bodies)
        assert client.get("/demo/mail/nothing.7/").status_code == 404
        assert client.get("/demo/mail/..%2F..%2Fetc.0/").status_code == 404
        client.force_login(UserFactory())
        assert "Demo mailbox" in client.get("/").content.decode()  # linked from every page's footer


def test_outside_the_demo_there_is_no_mailbox(client: Any, tmp_path: Path) -> None:
    send(tmp_path, "amira@kingsford.example", "Private", "A link")
    with override_settings(DEMO=False, EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=str(tmp_path)):
        assert client.get("/demo/mail/").status_code == 404
    with override_settings(DEMO=True, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend"):
        assert client.get("/demo/mail/").status_code == 404  # the demo sending real mail: nothing to show
