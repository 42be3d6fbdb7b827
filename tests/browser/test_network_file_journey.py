"""An evaluator analyses a network file on the web: a bad file is refused with the command's message, a good one
goes to the background and its progress page, then the results (map, measures, organisations, downloads).
Every page is scanned with axe-core (no serious or critical problems)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.networks import files
from tests.browser.test_journey import assert_accessible
from tests.conftest import login
from tests.factories import UserFactory
from tests.networks.test_command import NODES, TIES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_file(name: str, text: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}


def test_analyse_a_network_file_journey(page: Any) -> None:
    evaluator = UserFactory()
    login(page, evaluator.email)
    page.goto("/networks/analyse/")
    page.get_by_role("heading", name="Analyse a network file").wait_for()
    assert_accessible(page)

    # a rating out of range: the command's message, on the form; nothing queued
    page.get_by_label("Ties file").set_input_files(
        as_file("ties.csv", TIES.replace("A,C,3,3,3", "A,C,3,7,3"))
    )
    page.get_by_role("button", name="Analyse").click()
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert "ties.csv, line 4, column 'trust_mission': 7 is outside 1-4" in summary.inner_text()
    assert Job.objects.filter(kind=files.FILE_JOB).count() == 0
    assert_accessible(page)

    # good files: queued, the progress page, then the results
    page.get_by_label("Ties file").set_input_files(as_file("ties.csv", TIES))
    page.get_by_label("Organisations file").set_input_files(as_file("nodes.csv", NODES))
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    page.get_by_role("heading", name="Network analysis of ties.csv and nodes.csv").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("See the results")).click()
    page.wait_for_selector(".app-chart[data-vega-ready] svg", timeout=10_000)
    assert page.locator(".app-chart svg .mark-symbol.role-mark path").count() == 5
    main = page.inner_text("main")
    assert re.search(r"Response rate\s+60%", main)
    assert "Alpha Trust" in main and "Eeny Police" in main
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Each organisation's measures (CSV)").click()
    assert download.value.suggested_filename == "ties-organisations.csv"

    # later: the analysis is found again from the home page, under "Your background work"
    page.goto("/")
    page.get_by_role("link", name="Your background work").click()
    page.get_by_role("link", name="Network analysis of ties.csv and nodes.csv").wait_for()
    assert "Finished" in page.inner_text("main")
    assert_accessible(page)


def test_progress_is_shown_and_updates_without_reloading(page: Any) -> None:
    evaluator = UserFactory()
    payload, params = files.files_check(SimpleUploadedFile("ties.csv", TIES.encode()), None)
    job = Job.objects.create(
        kind=files.FILE_JOB,
        title="Network analysis of ties.csv",
        created_by=evaluator,
        params=params,
        payload=payload,
        status=JobStatus.RUNNING,
        done=30,
        total=120,
        message="Finding shortest paths: 30 of 120 starting points done",
    )
    login(page, evaluator.email)
    page.goto(f"/networks/analyse/{job.pk}/")
    page.get_by_text("25% done").wait_for()
    assert "Finding shortest paths: 30 of 120 starting points done" in page.inner_text("main")
    assert_accessible(page)
    # the job finishes in the background: the page notices by itself (htmx polling)
    result, outputs = files.files_analyse(payload, params, lambda *args: None)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, result=result, payload=outputs)
    page.get_by_role("link", name=re.compile("See the results")).click(timeout=10_000)
    page.get_by_role("heading", name="The network as a whole").wait_for()
    assert_accessible(page)
