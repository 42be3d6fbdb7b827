"""Organisation imports: the service and `joinedup import-organisations`."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from joinedup.core.models import AuditEvent
from joinedup.register.imports import organisations_import
from joinedup.register.models import Organisation
from tests.factories import OrganisationFactory

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


def ods_row(
    code: str,
    name: str,
    *,
    opened: str = "20200401",
    closed: str = "",
    status: str = "A",
    sub_type: str = "",
    address: tuple[str, ...] = ("1 High Street", "", "Northtown", "", ""),
    postcode: str = "NS1 1AA",
) -> list[str]:
    row = [""] * 27
    row[0], row[1], row[2], row[3] = code, name, "Y63", "Q74"
    row[4:9] = address
    row[9], row[10], row[11], row[12], row[13] = postcode, opened, closed, status, sub_type
    row[17], row[21] = "01234 567890", "0"
    return row


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(
            fh, delimiter=delimiter, quoting=csv.QUOTE_ALL if delimiter == "," else csv.QUOTE_MINIMAL
        ).writerows(rows)
    return path


def many_ods(n: int) -> list[list[str]]:
    return [ods_row(f"R{i:05d}", f"ORGANISATION {i}") for i in range(n)]


def run(path: Path, fmt: str, **kwargs: Any) -> Any:
    return organisations_import(by=None, path_or_file=path, fmt=fmt, **kwargs)


# ---- ODS ----------------------------------------------------------------------------------------------


def test_valid_ods_file_imports_every_field(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "etr.csv",
        [
            ods_row(
                "RAA",
                "NORTHSHIRE HEALTHCARE NHS FOUNDATION TRUST",
                sub_type="X1",
                address=("Trust HQ", "Hospital Road", "", "Northtown", "Northshire"),
            ),
            ods_row("RBB", "Riverside Community Trust", opened="19990101", closed="20230331", status="C"),
        ],
    )
    report = run(path, "ods")
    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    raa = Organisation.objects.get(ods_code="RAA")
    assert raa.name == "NORTHSHIRE HEALTHCARE NHS FOUNDATION TRUST"
    assert raa.sector == "nhs"
    assert raa.org_type == "X1"
    assert raa.address == "Trust HQ, Hospital Road, Northtown, Northshire"
    assert raa.postcode == "NS1 1AA"
    assert raa.opened == datetime.date(2020, 4, 1) and raa.closed is None
    assert raa.org_id == "GB-NHS-RAA"
    rbb = Organisation.objects.get(ods_code="RBB")
    assert (rbb.opened, rbb.closed) == (datetime.date(1999, 1, 1), datetime.date(2023, 3, 31))
    event = AuditEvent.objects.get()
    assert event.verb == "organisations.imported"
    assert event.data["created"] == 2 and event.data["errors"] == 0


def test_three_bad_rows_among_a_thousand_import_nothing_and_are_all_named(tmp_path: Path) -> None:
    rows = many_ods(1000)
    rows[9] = rows[9][:26]  # line 10: 26 columns
    rows[499][10] = "2020-04-01"  # line 500: open date in the wrong format
    rows[998][10], rows[998][11] = "20200401", "20190101"  # line 999: closed before opened
    path = write_csv(tmp_path / "bad.csv", rows)

    report = run(path, "ods")

    assert not report.ok
    assert Organisation.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert {e.line for e in report.errors} == {10, 500, 999}
    by_line = {e.line: e for e in report.errors}
    assert by_line[10].column == "" and "26 columns" in by_line[10].reason
    assert by_line[500].column == "11 (open date)" and "YYYYMMDD" in by_line[500].reason
    assert by_line[999].column == "12 (close date)"
    assert str(by_line[500]).startswith("line 500, column 11 (open date): ")


def test_reimport_changes_nothing_and_a_changed_row_updates(tmp_path: Path) -> None:
    rows = many_ods(50)
    path = write_csv(tmp_path / "etr.csv", rows)
    assert run(path, "ods").created == 50
    before = list(Organisation.objects.order_by("pk").values())

    again = run(path, "ods")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 50)
    assert list(Organisation.objects.order_by("pk").values()) == before
    rows[7][1] = "RENAMED TRUST"
    changed = run(write_csv(tmp_path / "etr2.csv", rows), "ods")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 49)
    assert Organisation.objects.count() == 50
    assert Organisation.objects.get(ods_code="R00007").name == "RENAMED TRUST"
    assert AuditEvent.objects.filter(verb="organisations.imported").count() == 3


def test_rows_match_existing_organisations_and_keep_their_org_id(tmp_path: Path) -> None:
    by_code = OrganisationFactory(name="Old name", ods_code="RAA", org_id="")
    by_org_id = OrganisationFactory(name="Keeps key", ods_code="", org_id="GB-NHS-RBB")
    own_key = OrganisationFactory(name="Own key", ods_code="RCC", org_id="GB-COH-01234567")
    path = write_csv(
        tmp_path / "etr.csv",
        [ods_row("RAA", "New name"), ods_row("RBB", "Keeps key"), ods_row("RCC", "Own key")],
    )
    report = run(path, "ods")
    assert (report.created, report.updated) == (0, 3)
    by_code.refresh_from_db(), by_org_id.refresh_from_db(), own_key.refresh_from_db()
    assert (by_code.name, by_code.org_id) == ("New name", "GB-NHS-RAA")
    assert by_org_id.ods_code == "RBB"
    assert own_key.org_id == "GB-COH-01234567"


def test_duplicate_codes_in_one_file_name_both_lines(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "dup.csv", [ods_row("RAA", "One"), ods_row("RBB", "Two"), ods_row("raa", "Three")]
    )
    report = run(path, "ods")
    assert [(e.line, e.column) for e in report.errors] == [(3, "1 (organisation code)")]
    assert "line 1" in report.errors[0].reason
    assert Organisation.objects.count() == 0


def test_identifier_held_by_another_organisation_is_an_error(tmp_path: Path) -> None:
    OrganisationFactory(name="Trust", ods_code="RAA")
    OrganisationFactory(name="Charity", charity_number="1123456")
    path = tmp_path / "clash.csv"
    path.write_text("name,sector,ods_code,charity_number\nTrust,nhs,RAA,1123456\n")
    report = run(path, "csv")
    assert [(e.line, e.column) for e in report.errors] == [(2, "charity_number")]
    assert "Charity" in report.errors[0].reason


def test_dry_run_writes_nothing_but_counts(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "etr.csv", many_ods(20))
    report = run(path, "ods", dry_run=True)
    assert report.ok and report.created == 20 and not report.written
    assert Organisation.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_progress_is_reported(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int | None]] = []
    run(write_csv(tmp_path / "etr.csv", many_ods(2500)), "ods", progress=lambda *a: calls.append(a))
    assert sum(n for stage, n, _ in calls if stage == "validating") == 2500
    assert sum(n for stage, n, _ in calls if stage == "writing") == 2500


def test_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"name,sector\nCaf\xe9 Club,voluntary\n")
    report = run(path, "csv")
    assert [e.line for e in report.errors] == [2] and "UTF-8" in report.errors[0].reason


def test_uploaded_binary_file_is_read(tmp_path: Path) -> None:
    data = io.BytesIO(b"\xef\xbb\xbfname,sector\nThe Lunch Club,voluntary\n")
    report = organisations_import(by=None, path_or_file=data, fmt="csv")
    assert report.ok and report.created == 1


# ---- Charity Commission extract ---------------------------------------------------------------------


def test_charity_extract_imports_and_skips_linked_charities() -> None:
    report = run(DATA / "charity_extract.txt", "charity")
    assert report.ok, report.errors
    assert (report.rows, report.created, report.skipped) == (4, 3, 1)
    carers = Organisation.objects.get(charity_number="1123456")
    assert carers.name == "Northshire Carers' Centre"
    assert carers.sector == "voluntary"
    assert carers.company_number == "06512345"
    assert carers.org_id == "GB-CHC-1123456"
    assert carers.opened == datetime.date(2008, 3, 14) and carers.closed is None
    assert Organisation.objects.get(charity_number="298765").company_number == "SC123456"
    lunch = Organisation.objects.get(charity_number="507001")
    assert (lunch.opened, lunch.closed) == (datetime.date(1975, 10, 10), datetime.date(2019, 4, 30))
    again = run(DATA / "charity_extract.txt", "charity")
    assert (again.created, again.unchanged, again.skipped) == (0, 3, 1)


def test_charity_extract_without_a_required_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "extract.txt"
    path.write_text("registered_charity_number\tcharity_name\n123456\tA charity\n")
    report = run(path, "charity")
    assert {(e.line, e.column) for e in report.errors} == {
        (1, "charity_registration_status"),
        (1, "date_of_registration"),
        (1, "charity_company_registration_number"),
    }


# ---- plain CSV --------------------------------------------------------------------------------------


def test_csv_unknown_column_is_an_error_naming_it() -> None:
    report = run(DATA / "unknown_column.csv", "csv")
    assert [(e.line, e.column) for e in report.errors] == [(1, "unexpected")]
    assert Organisation.objects.count() == 0


def test_csv_bad_values_are_each_named(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(
        "name,sector,charity_number,company_number,gss_code,opened,closed\n"
        "Good Club,Voluntary and community,123456,1234567,E06000001,2020-01-01,\n"
        "Bad Sector,charities,,,,,\n"
        "Bad Numbers,voluntary,12AB,123456789,E0600001,01/02/2020,\n"
        ",nhs,,,,,\n" + "X" * 301 + ",nhs,,,,,\n"
    )
    report = run(path, "csv")
    found = {(e.line, e.column) for e in report.errors}
    assert found == {
        (3, "sector"),
        (4, "charity_number"),
        (4, "company_number"),
        (4, "gss_code"),
        (4, "opened"),
        (5, "name"),
        (6, "name"),
    }
    assert Organisation.objects.count() == 0


def test_csv_imports_labels_padding_and_matches_rows_without_identifiers(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(
        "Name,Sector,company_number,area\nGood Club,Voluntary and community,1234567,Northshire\n"
        "Plain Group,HOUSING,,Northshire\n"
    )
    report = run(path, "csv")
    assert report.ok and report.created == 2
    club = Organisation.objects.get(name="Good Club")
    assert (club.sector, club.company_number) == ("voluntary", "01234567")
    again = run(path, "csv")
    assert (again.created, again.unchanged) == (0, 2)
    assert Organisation.objects.count() == 2


# ---- the command ------------------------------------------------------------------------------------


def test_command_imports_and_exits_0(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "etr.csv", many_ods(30))
    out, err = io.StringIO(), io.StringIO()
    call_command("import-organisations", str(path), "--format", "ods", stdout=out, stderr=err)
    assert "created: 30" in out.getvalue()
    assert Organisation.objects.count() == 30


def test_command_prints_every_error_and_exits_2(tmp_path: Path) -> None:
    rows = many_ods(10)
    rows[2][10] = "bad"
    rows[6][12] = "X"
    path = write_csv(tmp_path / "etr.csv", rows)
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(
            "import-organisations",
            str(path),
            "--format",
            "ods",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert exc.value.returncode == 2
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 3, column 11 (open date): ")
    assert lines[1].startswith("line 7, column 13 (status code): ")
    assert Organisation.objects.count() == 0


def test_command_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "etr.csv", many_ods(5))
    out = io.StringIO()
    call_command(
        "import-organisations", str(path), "--format", "ods", "--dry-run", stdout=out, stderr=io.StringIO()
    )
    assert "Dry run" in out.getvalue() and "created: 5" in out.getvalue()
    assert Organisation.objects.count() == 0


def test_row_without_identifier_matching_two_organisations_is_an_error(tmp_path: Path) -> None:
    OrganisationFactory(name="Lunch Club", sector="voluntary")
    OrganisationFactory(name="Lunch Club", sector="voluntary")
    path = tmp_path / "orgs.csv"
    path.write_text("name,sector\nLunch Club,voluntary\n")
    report = run(path, "csv")
    assert [(e.line, e.column) for e in report.errors] == [(2, "name")]
    assert Organisation.objects.count() == 2


def test_two_rows_matching_one_organisation_by_different_identifiers_is_an_error(tmp_path: Path) -> None:
    OrganisationFactory(name="Trust", ods_code="RAA", charity_number="1123456")
    path = tmp_path / "orgs.csv"
    path.write_text("name,sector,ods_code,charity_number\nTrust,nhs,RAA,\nTrust,nhs,,1123456\n")
    report = run(path, "csv")
    assert [e.line for e in report.errors] == [3] and "line 2" in report.errors[0].reason


def test_closing_date_before_the_registered_opening_date_is_an_error(tmp_path: Path) -> None:
    OrganisationFactory(
        name="Club", sector="voluntary", charity_number="123456", opened=datetime.date(2020, 1, 1)
    )
    path = tmp_path / "orgs.csv"
    path.write_text("name,sector,charity_number,closed\nClub,voluntary,123456,2019-12-31\n")
    report = run(path, "csv")
    assert [(e.line, e.column) for e in report.errors] == [(2, "closed")]
    assert Organisation.objects.get().closed is None
