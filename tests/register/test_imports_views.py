"""The organisation import page: coordinators upload a file and see the report; others get 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from joinedup.core.models import AuditEvent
from joinedup.register.models import Organisation
from tests.conftest import grant
from tests.factories import PartnershipFactory
from tests.register.test_imports import ods_row

pytestmark = pytest.mark.django_db
URL = reverse("register:organisation_import")


def ods_bytes(rows: list[list[str]]) -> bytes:
    return "".join(",".join(f'"{c}"' for c in row) + "\r\n" for row in rows).encode()


def upload(client: Client, content: bytes, fmt: str = "ods", **extra: Any) -> Any:
    data = {"file": SimpleUploadedFile("etr.csv", content, content_type="text/csv"), "fmt": fmt, **extra}
    return client.post(URL, data)


@pytest.fixture
def coordinator(client: Client, user: Any) -> Client:
    grant(user, PartnershipFactory(), role="coordinator")
    client.force_login(user)
    return client


def test_coordinator_sees_the_form(coordinator: Client) -> None:
    response = coordinator.get(URL)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b"Import organisations" in response.content


def test_coordinator_upload_imports_and_shows_report(coordinator: Client) -> None:
    response = upload(coordinator, ods_bytes([ods_row("RAA", "Trust A"), ods_row("RBB", "Trust B")]))
    assert response.status_code == 200
    assert Organisation.objects.filter(ods_code__in=["RAA", "RBB"]).count() == 2
    text = response.content.decode()
    assert "The file was imported." in text
    assert (
        '<td class="nhsuk-table__cell">Created</td><td class="nhsuk-table__cell nhsuk-table__cell--numeric">2</td>'
        in text
    )
    event = AuditEvent.objects.get(verb="organisations.imported")
    assert event.actor is not None and event.data["file"] == "etr.csv"


def test_upload_with_errors_saves_nothing_and_lists_them(coordinator: Client) -> None:
    rows = [ods_row("RAA", "Trust A"), ods_row("RBB", "Trust B", opened="2020-04-01"), ods_row("RCC", "")]
    response = upload(coordinator, ods_bytes(rows))
    assert response.status_code == 422
    assert Organisation.objects.count() == 0
    text = response.content.decode()
    assert "Nothing was imported" in text
    assert "11 (open date)" in text and "2 (name)" in text


def test_dry_run_upload_saves_nothing(coordinator: Client) -> None:
    response = upload(coordinator, ods_bytes([ods_row("RAA", "Trust A")]), dry_run="on")
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert Organisation.objects.count() == 0


def test_missing_file_shows_form_error(coordinator: Client) -> None:
    response = coordinator.post(URL, {"fmt": "ods"})
    assert response.status_code == 200
    assert b"nhsuk-error-summary" in response.content


def test_plain_member_gets_403(client: Client, user: Any) -> None:
    grant(user, PartnershipFactory(), role="member")
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert upload(client, ods_bytes([ods_row("RAA", "Trust A")])).status_code == 403
    assert Organisation.objects.count() == 0


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_large_upload_spooled_to_disk_is_read(coordinator: Client, settings: Any) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload becomes a temporary file on disk
    rows = [ods_row(f"R{i:04d}", f"Trust {i}") for i in range(300)]
    response = upload(coordinator, ods_bytes(rows))
    assert response.status_code == 200
    assert Organisation.objects.count() == 300
