"""Analysing an evaluator's own files on the web: the same checks and outputs as `joinedup network analyse`,
run as a background job with progress, seen only by the person who asked."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.networks import files
from tests.factories import UserFactory
from tests.networks.test_command import EXPECTED_NETWORK, NODES, TIES

pytestmark = pytest.mark.django_db

URL = "/networks/analyse/"


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def cli(tmp_path: Path, monkeypatch: Any, *args: str, ties: str = TIES, nodes: str | None = NODES) -> str:
    """The command's output on the same files (same names, so its messages name them alike)."""
    monkeypatch.chdir(tmp_path)
    Path("ties.csv").write_text(ties)
    extra = []
    if nodes is not None:
        Path("nodes.csv").write_text(nodes)
        extra = ["--nodes", "nodes.csv"]
    out = io.StringIO()
    call_command("network", "analyse", "ties.csv", *extra, *args, stdout=out)
    return out.getvalue()


def analyse(client: Any, callbacks: Any, ties: str = TIES, nodes: str | None = NODES) -> Any:
    data = {"ties": upload("ties.csv", ties)}
    if nodes is not None:
        data["nodes"] = upload("nodes.csv", nodes)
    with callbacks(execute=True):
        return client.post(URL, data)


@pytest.fixture
def signed_in(client: Any) -> Any:
    user = UserFactory()
    client.force_login(user)
    return user


def test_a_good_upload_is_queued_and_its_downloads_equal_the_command(
    client, signed_in, django_capture_on_commit_callbacks, tmp_path, monkeypatch
):
    assert client.get(URL).status_code == 200
    response = analyse(client, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind=files.FILE_JOB)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == files.FILE_JOB and job.created_by == signed_in
    assert job.status == JobStatus.DONE, job.error
    assert job.title == "Network analysis of ties.csv and nodes.csv"
    # the progress page links to the results
    progress = client.get(response["Location"]).content.decode()
    assert f"/networks/analyse/{job.pk}/" in progress
    # downloads: byte for byte what the command prints
    as_json = client.get(f"/networks/analyse/{job.pk}/network.json")
    assert as_json["Content-Disposition"] == 'attachment; filename="ties-network.json"'
    assert as_json.content.decode() == cli(tmp_path, monkeypatch, "--format", "json")
    as_csv = client.get(f"/networks/analyse/{job.pk}/organisations.csv")
    assert as_csv.content.decode() == cli(tmp_path, monkeypatch, "--format", "csv")
    assert json.loads(as_json.content)["network"] == pytest.approx(
        EXPECTED_NETWORK
    )  # the hand-checked figures


def test_the_results_page_shows_measures_map_and_organisations(
    client, signed_in, django_capture_on_commit_callbacks
):
    analyse(client, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind=files.FILE_JOB)
    page = client.get(f"/networks/analyse/{job.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        'Density (share of possible ties that exist)</dt><dd class="nhsuk-summary-list__value">0.200' in text
    )
    assert 'Response rate</dt><dd class="nhsuk-summary-list__value">60%' in text
    assert 'Self-ties dropped</dt><dd class="nhsuk-summary-list__value">1' in text
    spec = page.context["spec"]
    assert spec["usermeta"]["aggregated"] is False
    assert sorted(p["name"] for p in spec["layer"][1]["data"]["values"]) == [
        "Alpha Trust",
        "Beta Council",
        "Charity C",
        "Dee Housing",
        "Eeny Police",
    ]
    # most between first (A and C at 1/6, in file order), then the rest in file order
    assert [r["id"] for r in page.context["rows"]] == ["A", "C", "B", "D", "E"]
    assert "Alpha Trust <span" in text and "Eeny Police" in text


@pytest.mark.parametrize(
    ("ties", "nodes", "field"),
    [
        (TIES.replace("A,C,3,3,3", "A,C,3,7,3"), NODES, "ties"),  # out of range
        (TIES.replace("source,target", "from,target"), NODES, "ties"),  # missing column
        (TIES.replace("C,D,1,2,3,4,4,4", "C,D,1,2,3"), NODES, "ties"),  # short row
        (TIES.replace("A,C,3,3,3", "A,C,3,lots,3"), NODES, "ties"),  # not a number
        (TIES, NODES.replace("B,Beta", "A,Beta"), "nodes"),  # id twice
        (TIES, NODES.replace("D,Dee Housing,voluntary,no", "D,Dee Housing,voluntary,maybe"), "nodes"),
        (TIES.replace("A,C,3,3,3", "A,C,3,7,3").replace("C,D,1,2,3", "C,D,1,x,3"), NODES, "ties"),  # two
    ],
)
def test_a_bad_file_gets_the_commands_message_and_nothing_is_queued(
    client, signed_in, django_capture_on_commit_callbacks, tmp_path, monkeypatch, ties, nodes, field
):
    with pytest.raises(CommandError) as refused:
        cli(tmp_path, monkeypatch, ties=ties, nodes=nodes)
    page = analyse(client, django_capture_on_commit_callbacks, ties=ties, nodes=nodes)
    assert page.status_code == 400
    assert page.context["form"].errors[field] == str(refused.value).splitlines()  # every problem, one each
    assert str(refused.value).startswith(f"{field}.csv, ")
    assert "There is a problem" in page.content.decode()
    assert Job.objects.filter(kind=files.FILE_JOB).count() == 0


def test_only_csv_or_parquet_files_of_a_sensible_size(
    client, signed_in, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(URL, {"ties": SimpleUploadedFile("ties.xlsx", b"PK\x03\x04")})
    assert page.status_code == 400 and "choose a CSV file (.csv) or a Parquet file" in page.content.decode()
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    page = analyse(client, django_capture_on_commit_callbacks)
    assert page.status_code == 400 and "larger than" in page.content.decode()
    page = client.post(URL, {})
    assert page.status_code == 400 and "Choose the ties file." in page.content.decode()
    assert Job.objects.filter(kind=files.FILE_JOB).count() == 0


def test_a_file_name_with_folders_or_odd_characters_is_tidied():
    assert files.safe_name("../../etc/pass wd<script>.csv") == "pass wd_script_.csv"
    assert files.safe_name("C:\\Users\\me\\ties.csv") == "ties.csv"
    assert files.safe_name("...") == "file.csv"


def test_results_are_for_the_person_who_asked(client, signed_in, django_capture_on_commit_callbacks):
    analyse(client, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind=files.FILE_JOB)
    client.force_login(UserFactory())
    for suffix in ("", "network.json", "organisations.csv"):
        assert client.get(f"/networks/analyse/{job.pk}/{suffix}").status_code == 404
    client.logout()
    assert client.get(f"/networks/analyse/{job.pk}/").status_code == 302
    assert client.get(URL).status_code == 302  # signed-in users only


def test_progress_counts_the_starting_points(django_capture_on_commit_callbacks):
    ties = "source,target\n" + "".join(f"o{i},o{(i + 1) % 40}\n" for i in range(40))
    payload, params = files.files_check(upload("ring.csv", ties), None)
    calls: list[tuple[int, int, str]] = []
    result, outputs = files.files_analyse(payload, params, lambda d, t, m="": calls.append((d, t, m)))
    assert calls[0] == (0, 1, "Reading the files")
    shortest = [(d, t) for d, t, m in calls if m.startswith("Finding shortest paths")]
    assert shortest[0] == (0, 40) and shortest[-1] == (40, 40)
    assert [d for d, _ in shortest] == sorted(d for d, _ in shortest)
    assert result["network"]["organisations"] == 40 and result["network"]["ties"] == 40
    assert files.output(outputs, files.CSV_NAME).startswith(b"id,name,sector,in_degree")


def test_a_job_records_progress_and_then_the_outputs_replace_the_upload(
    client, signed_in, django_capture_on_commit_callbacks
):
    analyse(client, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind=files.FILE_JOB)
    assert job.total == 5 and job.done == 5 and job.percent == 100
    assert files.output(bytes(job.payload), files.JSON_NAME).startswith(b'{\n  "network"')


def test_large_networks_are_mapped_by_sector_or_not_at_all(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(files, "AGGREGATE_ABOVE", 3)
    payload, params = files.files_check(upload("ties.csv", TIES), upload("nodes.csv", NODES))
    result, _ = files.files_analyse(payload, params, lambda *a: None)
    assert result["map"]["usermeta"]["aggregated"] is True
    sectors = {p["sector"]: p["size_value"] for p in result["map"]["layer"][1]["data"]["values"]}
    assert sectors == {"nhs": 1, "council": 1, "voluntary": 2, "police": 1}
    payload, params = files.files_check(upload("ties.csv", TIES), None)
    result, _ = files.files_analyse(payload, params, lambda *a: None)
    assert result["map"] is None and "without a sector column" in result["map_note"]


def test_organisations_are_paged(client, signed_in, django_capture_on_commit_callbacks):
    # a star: the hub is the only organisation between others; the rest in file order
    ties = "source,target\n" + "".join(f"hub,o{i:03d}\no{i:03d},hub\n" for i in range(120))
    analyse(client, django_capture_on_commit_callbacks, ties=ties, nodes=None)
    job = Job.objects.get(kind=files.FILE_JOB)
    first = client.get(f"/networks/analyse/{job.pk}/")
    assert [r["id"] for r in first.context["rows"]][:3] == ["hub", "o000", "o001"]
    assert len(first.context["rows"]) == 50 and "Page 1 of 3" in first.content.decode()
    last = client.get(f"/networks/analyse/{job.pk}/", {"page": 3})
    assert [r["id"] for r in last.context["rows"]] == [f"o{i:03d}" for i in range(99, 120)]


def test_parquet_files_are_read_as_the_command_reads_them(
    client, signed_in, django_capture_on_commit_callbacks, tmp_path, monkeypatch
):
    import polars as pl

    frame = pl.read_csv(io.StringIO(TIES), infer_schema=False)
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"ties": SimpleUploadedFile("ties.parquet", buffer.getvalue())})
    job = Job.objects.get(kind=files.FILE_JOB)
    assert job.status == JobStatus.DONE, job.error
    monkeypatch.chdir(tmp_path)
    Path("ties.parquet").write_bytes(buffer.getvalue())
    out = io.StringIO()
    call_command("network", "analyse", "ties.parquet", stdout=out)
    assert client.get(f"/networks/analyse/{job.pk}/network.json").content.decode() == out.getvalue()
