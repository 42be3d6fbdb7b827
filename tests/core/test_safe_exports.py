"""Every CSV JoinedUp writes is safe to open in a spreadsheet (one test per export path), and imports keep such
text as the text it was.

The project writes CSV on four paths: a wave's results (web), `joinedup assess score --format csv`, a network
file analysis's organisations table (web download) and `joinedup network analyse --format csv`; and XLSX on one:
a review pack (`joinedup report --format xlsx` and its web download, both through reports.spreadsheet). A last
test fails if a new CSV or XLSX writer appears that does not go through joinedup.analysis.safe_cells.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from joinedup.analysis.instruments import load_instrument
from joinedup.analysis.safe_cells import FORMULA_STARTS
from joinedup.core.models import Job
from joinedup.networks import files
from joinedup.register.imports import organisations_import
from joinedup.register.models import Organisation
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example","Click me")',
    "+1+1",
    "@SUM(1)",
    "-2+3",
    "\tTabbed",
    "\rReturned",
]
NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
BIN = Path(sys.executable).parent / "joinedup"


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


FORMULAS = HOSTILE[:4]  # the readers of the command-line files trim spaces, tabs and returns off values


def assert_safe(text: str, *, names_in: str, expect: list[str] = HOSTILE) -> list[dict[str, str]]:
    """No cell of the CSV would run as a formula, every hostile name is there as text, numbers stay numbers."""
    table = cells(text)
    for row in table:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or NUMBER.match(cell), repr(cell)
    records = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    found = {record[names_in] for record in records}
    assert {"'" + name for name in expect} <= found, found
    return records


def test_wave_results_csv(client: Any) -> None:
    partnership, _orgs = partnership_with_members()
    for name in HOSTILE:
        organisation = OrganisationFactory(name=name, sector="voluntary")
        MembershipFactory(partnership=partnership, organisation=organisation)
    wave = make_wave(partnership, min_group_size=3)
    for seed, organisation in enumerate(Organisation.objects.filter(name__in=HOSTILE)):
        add_answers(wave, organisation, 3, level=2, seed=seed, compute=False)
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    client.force_login(coordinator)
    from joinedup.assessments.services import wave_results_compute

    wave_results_compute(wave=wave)
    download = client.get(f"/assessments/waves/{wave.pk}/results.csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    records = assert_safe(download.content.decode(), names_in="group")
    whole = [r for r in records if r["by"] == "" and r["mean"]]
    assert whole and all(float(r["mean"]) > 0 for r in whole)  # the numbers are numbers


def test_assess_score_command_csv(tmp_path: Path) -> None:
    health = load_instrument("partnership-health")
    path = tmp_path / "wave.csv"
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["org", *health.item_keys])
        writer.writeheader()
        for index in range(3 * len(HOSTILE)):
            writer.writerow({"org": HOSTILE[index % len(HOSTILE)], **dict.fromkeys(health.item_keys, 4)})
    env = {**os.environ, "DEBUG": "true"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    args = [
        "assess",
        "score",
        str(path),
        "--instrument",
        "partnership-health",
        "--by",
        "org",
        "--format",
        "csv",
    ]
    result = subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    records = assert_safe(result.stdout, names_in="group", expect=FORMULAS)
    means = [float(r["mean"]) for r in records if r["by"] == ""]  # numbers stay plain numbers
    assert means and all(1 <= mean <= 5 for mean in means)


def _network_files() -> tuple[str, str]:
    names = [*FORMULAS, "\tTabbed"]  # a return inside a quoted name breaks the network reader (left alone)
    ids = [f"N{i}" for i in range(len(names))]
    ties = "source,target,trust_reliability\n" + "".join(
        f"{a},{b},3\n" for a, b in zip(ids, ids[1:] + ids[:1], strict=True)
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "sector"])
    writer.writerows([i, name, "-nhs"] for i, name in zip(ids, names, strict=True))
    return ties, out.getvalue()


def test_network_analyse_command_csv(tmp_path: Path, monkeypatch: Any) -> None:
    ties, nodes = _network_files()
    monkeypatch.chdir(tmp_path)
    Path("ties.csv").write_text(ties)
    Path("nodes.csv").write_text(nodes, newline="")
    out = io.StringIO()
    call_command("network", "analyse", "ties.csv", "--nodes", "nodes.csv", "--format", "csv", stdout=out)
    records = assert_safe(out.getvalue(), names_in="name", expect=FORMULAS)
    assert {r["sector"] for r in records} == {"'-nhs"}
    assert {r["in_degree"] for r in records} == {"1"}


def test_network_file_analysis_download(client: Any, django_capture_on_commit_callbacks: Any) -> None:
    ties, nodes = _network_files()
    client.force_login(UserFactory())
    upload = {
        "ties": SimpleUploadedFile("ties.csv", ties.encode(), content_type="text/csv"),
        "nodes": SimpleUploadedFile("nodes.csv", nodes.encode(), content_type="text/csv"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/networks/analyse/", upload)
    job = Job.objects.get(kind=files.FILE_JOB)
    download = client.get(f"/networks/analyse/{job.pk}/organisations.csv")
    assert download.status_code == 200
    assert_safe(download.content.decode(), names_in="name", expect=FORMULAS)
    # The page and the JSON show the names as they were given: only the spreadsheet file needs the '.
    as_json = client.get(f"/networks/analyse/{job.pk}/network.json").json()
    assert set(FORMULAS) <= {o["name"] for o in as_json["organisations"]}


def test_imports_keep_formula_like_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "sector"])
        writer.writerows(
            [name, "voluntary"] for name in ['=HYPERLINK("http://evil.example")', "+1+1", "@SUM(1)"]
        )
        writer.writerow(["'=already quoted", "voluntary"])
    report = organisations_import(by=None, path_or_file=path, fmt="csv")
    assert report.ok, report.errors
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        '=HYPERLINK("http://evil.example")',
        "+1+1",
        "@SUM(1)",
        "'=already quoted",
    }


def test_a_review_packs_xlsx_keeps_hostile_text_as_text() -> None:
    import datetime

    import openpyxl

    from joinedup.reports.pack import Pack, Section, Table
    from joinedup.reports.spreadsheet import pack_xlsx

    now = datetime.datetime(2026, 12, 1)
    table = Table("Names", HOSTILE[0], HOSTILE[1], ["Name", "Figure"], [[name, -1.5] for name in HOSTILE])
    pack = Pack(HOSTILE[2], "P", None, now, HOSTILE[3], now, [Section("s", HOSTILE[4], tables=[table])])
    book = openpyxl.load_workbook(io.BytesIO(pack_xlsx(pack)))
    every = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in every)
    texts = [c.value for c in every if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    names = [row[0] for row in book["Names"].iter_rows(min_row=4, values_only=True)]
    assert names == ["'" + name.replace("\r", "\n") for name in HOSTILE]  # XML reads a lone CR as a newline
    assert [row[1] for row in book["Names"].iter_rows(min_row=4, values_only=True)] == [-1.5] * len(HOSTILE)


def test_every_csv_writer_goes_through_safe_cells() -> None:
    import joinedup

    source = Path(joinedup.__file__).parent
    writers = re.compile(r"csv\.(writer|DictWriter)\(|\.write_csv\(|\.write_excel\(|openpyxl|xlsxwriter")
    offenders = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        if path.name != "safe_cells.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if writers.search(line)
    ]
    assert offenders == [], "write CSV with joinedup.analysis.safe_cells (safe_writer, frame_csv)"
