"""A long file of organisations is imported by a background job: the uploader watches its progress on the job page,
then sees the same report as for a short file (all rows saved, or none, with every problem's line and column)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.register.jobs import BACKGROUND_FROM_LINES, ERRORS_KEPT
from joinedup.register.models import Organisation
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory
from tests.register.test_imports import ods_row
from tests.register.test_imports_views import ods_bytes, upload

pytestmark = pytest.mark.django_db
ROWS = BACKGROUND_FROM_LINES + 50


@pytest.fixture
def coordinator(client: Client, user: Any) -> Client:
    grant(user, PartnershipFactory(), role="coordinator")
    client.force_login(user)
    return client


def long_file(bad_every: int = 0) -> bytes:
    rows = [ods_row(f"R{i:05d}", f"Trust {i}") for i in range(ROWS)]
    if bad_every:
        for i in range(0, ROWS, bad_every):
            rows[i] = ods_row(f"R{i:05d}", "")  # no name
    return ods_bytes(rows)


def test_a_long_file_is_imported_in_the_background_with_progress(
    coordinator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(coordinator, long_file())
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.title == "Import organisations from etr.csv"
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2 * ROWS, 2 * ROWS)
    assert job.payload is None  # the file is not kept
    assert Organisation.objects.count() == ROWS

    page = coordinator.get(response["Location"]).content.decode()
    report_url = reverse("register:organisation_import_report", args=[job.pk])
    assert f'href="{report_url}"' in page
    report = coordinator.get(report_url).content.decode()
    assert "The file was imported." in report
    assert f'nhsuk-table__cell--numeric">{ROWS}</td>' in report


def test_a_long_file_with_problems_saves_nothing_and_lists_the_first_of_them(
    coordinator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        upload(coordinator, long_file(bad_every=2))  # 1,025 rows without a name
    job = Job.objects.get()
    assert job.status == JobStatus.DONE
    assert not Organisation.objects.exists()
    report = coordinator.get(reverse("register:organisation_import_report", args=[job.pk])).content.decode()
    problems = (ROWS + 1) // 2
    assert f"The file has {problems} problems." in report
    assert f"The first {ERRORS_KEPT} problems in the file" in report
    assert "line 1" not in report  # lines are in their own column
    assert '<td class="nhsuk-table__cell">1</td>' in report
    assert f'<td class="nhsuk-table__cell">{2 * (ERRORS_KEPT - 1) + 1}</td>' in report
    assert f'<td class="nhsuk-table__cell">{2 * ERRORS_KEPT + 1}</td>' not in report


def test_a_check_only_run_of_a_long_file_saves_nothing(
    coordinator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        upload(coordinator, long_file(), dry_run="on")
    job = Job.objects.get()
    assert job.title == "Check organisations from etr.csv"
    assert not Organisation.objects.exists()
    report = coordinator.get(reverse("register:organisation_import_report", args=[job.pk])).content.decode()
    assert "This was a check only: nothing was saved." in report


def test_a_short_file_is_still_imported_at_once(coordinator: Client) -> None:
    response = upload(coordinator, ods_bytes([ods_row("RAA", "Trust A")]))
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_only_the_uploader_sees_the_report(
    coordinator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        upload(coordinator, long_file())
    job = Job.objects.get()
    other = Client()  # another coordinator, who may import too, does not see this import
    other_user = UserFactory()
    grant(other_user, PartnershipFactory(), role="coordinator")
    other.force_login(other_user)
    assert other.get(reverse("register:organisation_import_report", args=[job.pk])).status_code == 404
    assert other.get(reverse("core:job", args=[job.pk])).status_code == 404
    other.force_login(UserFactory())  # someone who may not import at all is refused the report
    assert other.get(reverse("register:organisation_import_report", args=[job.pk])).status_code == 403
    assert other.get(reverse("core:job", args=[job.pk])).status_code == 404
