"""An ODS import never loses information, names the codes it knows, and reports every change field by field."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from joinedup.core.choices import JobStatus
from joinedup.core.models import AuditEvent, Job
from joinedup.register.imports import organisations_import
from joinedup.register.imports.codes import CODES_PATH, CodeListError, ods_codes, parse_code_list
from joinedup.register.jobs import BACKGROUND_FROM_LINES
from joinedup.register.models import Organisation
from tests.conftest import grant
from tests.factories import OrganisationFactory, PartnershipFactory
from tests.register.test_imports import ods_row, write_csv
from tests.register.test_imports_views import ods_bytes, upload

pytestmark = pytest.mark.django_db


def practice_row(code: str, name: str, *, sub_type: str = "B", role: str = "", **kwargs: Any) -> list[str]:
    row = ods_row(code, name, sub_type=sub_type, **kwargs)
    row[25] = role
    return row


def run(path: Path, **kwargs: Any) -> Any:
    return organisations_import(by=None, path_or_file=path, fmt="ods", **kwargs)


@pytest.fixture
def kingsford() -> Organisation:
    org: Organisation = OrganisationFactory(
        name="MILLBROOK SURGERY",
        sector="nhs",
        ods_code="G81001",
        org_id="GB-NHS-G81001",
        org_type="GP practice (Kingsford PCN)",
        address="1 High Street, Northtown",
        postcode="NS1 1AA",
        opened=datetime.date(2020, 4, 1),
        closed=None,
    )
    return org


# ---- the bug: a re-import replaced "GP practice (Kingsford PCN)" with the raw code "B" ----------------------


def test_reimporting_a_practice_keeps_its_richer_type(tmp_path: Path, kingsford: Organisation) -> None:
    path = write_csv(
        tmp_path / "epraccur.csv",
        [practice_row("G81001", "MILLBROOK SURGERY", address=("1 High Street", "", "Northtown", "", ""))],
    )

    report = run(path)

    assert report.ok, report.errors
    kingsford.refresh_from_db()
    assert kingsford.org_type == "GP practice (Kingsford PCN)"
    assert (report.updated, report.unchanged) == (0, 1)
    assert report.changes == []
    [kept] = report.kept
    assert (kept.line, kept.pk, kept.name) == (1, kingsford.pk, "MILLBROOK SURGERY")
    [field] = kept.fields
    assert (field.field, field.before, field.after) == (
        "org_type",
        "GP practice (Kingsford PCN)",
        "Allocated to a provider/purchaser organisation",
    )


def test_a_named_role_does_not_replace_a_richer_type_either(tmp_path: Path, kingsford: Organisation) -> None:
    report = run(write_csv(tmp_path / "e.csv", [practice_row("G81001", "MILLBROOK SURGERY", role="RO76")]))
    kingsford.refresh_from_db()
    assert kingsford.org_type == "GP practice (Kingsford PCN)"
    assert [f.after for k in report.kept for f in k.fields] == ["GP practice"]


def test_a_bare_code_left_by_an_earlier_import_is_replaced_by_its_name(tmp_path: Path) -> None:
    damaged = OrganisationFactory(sector="nhs", ods_code="G81002", org_type="B")
    setting = OrganisationFactory(sector="nhs", ods_code="G81003", org_type="GP practice")

    report = run(
        write_csv(
            tmp_path / "e.csv",
            [practice_row("G81002", damaged.name, role="4"), practice_row("G81003", setting.name, role="2")],
        )
    )

    damaged.refresh_from_db(), setting.refresh_from_db()
    assert damaged.org_type == "GP practice"
    assert setting.org_type == "Out-of-hours practice"  # a name an import wrote is the import's to update
    by_pk = {c.pk: {f.field: (f.before, f.after) for f in c.fields} for c in report.changes}
    assert by_pk[damaged.pk]["org_type"] == ("B", "GP practice")
    assert by_pk[setting.pk]["org_type"] == ("GP practice", "Out-of-hours practice")


@pytest.mark.parametrize(
    ("current", "replaced"),
    [
        ("", True),
        ("B", True),
        ("X1", True),  # an unknown code an earlier import kept
        ("RO80|RO87", True),
        ("GP practice", True),  # a name from the list: an import wrote it
        ("Prescribing cost centre and GP practice", True),  # names joined as the import joins them
        ("GP practice (Kingsford PCN)", False),
        ("NHS", False),  # someone's words, though in capitals
        ("Community pharmacy", False),
    ],
)
def test_only_empty_values_codes_and_the_lists_own_names_are_replaced(current: str, replaced: bool) -> None:
    assert ods_codes().replaceable(current, raw="RO76") is replaced


def test_a_new_organisation_gets_the_name_of_its_codes(tmp_path: Path) -> None:
    run(
        write_csv(
            tmp_path / "e.csv",
            [
                practice_row("G00001", "A", role="RO76"),
                practice_row("G00002", "B", role="RO177|RO76"),
                practice_row("G00003", "C"),
            ],
        )
    )
    types = dict(Organisation.objects.values_list("ods_code", "org_type"))
    assert types == {
        "G00001": "GP practice",
        "G00002": "Prescribing cost centre and GP practice",
        "G00003": "Allocated to a provider/purchaser organisation",
    }


# ---- unknown codes are kept as codes, and said so -----------------------------------------------------------


def test_unknown_codes_are_kept_as_codes_and_listed(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "e.csv",
        [
            practice_row("G00001", "A", role="RO999"),
            practice_row("G00002", "B", role="RO999|RO76"),
            practice_row("G00003", "C", sub_type="Q", role=""),
        ],
    )

    report = run(path)

    types = dict(Organisation.objects.values_list("ods_code", "org_type"))
    assert types == {"G00001": "RO999", "G00002": "RO999|RO76", "G00003": "Q"}
    assert report.unknown_codes == {"Q": 1, "RO999": 2}
    assert report.code_list_version == ods_codes().version


def test_the_command_lists_unknown_codes(tmp_path: Path, capsys: Any) -> None:
    path = write_csv(tmp_path / "e.csv", [practice_row("G00001", "A", role="RO999")])
    call_command("import-organisations", str(path), "--format", "ods")
    out = capsys.readouterr().out
    assert "Codes not in the ODS code list (version 1), kept as codes: RO999 (1 row)" in out


# ---- the change report: every record that changes, field by field, dry run and real ---------------------


def changed_file(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "e.csv",
        [
            practice_row(
                "G81001", "MILLBROOK MEDICAL CENTRE", postcode="NS1 9ZZ", closed="20251231", status="C"
            ),
            practice_row("G99999", "NEW PRACTICE"),
        ],
    )


EXPECTED = {
    ("name", "MILLBROOK SURGERY", "MILLBROOK MEDICAL CENTRE"),
    ("postcode", "NS1 1AA", "NS1 9ZZ"),
    ("closed", "", "2025-12-31"),
}


def fields_of(report: Any) -> set[tuple[str, str, str]]:
    [change] = report.changes
    return {(f.field, f.before, f.after) for f in change.fields}


def test_a_dry_run_lists_every_change_and_writes_nothing(tmp_path: Path, kingsford: Organisation) -> None:
    before = list(Organisation.objects.values())

    report = run(changed_file(tmp_path), dry_run=True)

    assert report.ok and not report.written
    assert (report.created, report.updated) == (1, 1)
    assert fields_of(report) == EXPECTED
    assert report.changes[0].pk == kingsford.pk and report.changes[0].line == 1
    assert list(Organisation.objects.values()) == before


def test_a_real_run_lists_the_same_changes_and_makes_them(tmp_path: Path, kingsford: Organisation) -> None:
    report = run(changed_file(tmp_path))

    assert report.written
    assert fields_of(report) == EXPECTED
    kingsford.refresh_from_db()
    assert (kingsford.name, kingsford.postcode, str(kingsford.closed)) == (
        "MILLBROOK MEDICAL CENTRE",
        "NS1 9ZZ",
        "2025-12-31",
    )
    assert kingsford.org_type == "GP practice (Kingsford PCN)"
    event = AuditEvent.objects.get(verb="organisations.imported")
    assert event.data["changes"] == [
        {
            "organisation": kingsford.pk,
            "fields": {
                "name": ["MILLBROOK SURGERY", "MILLBROOK MEDICAL CENTRE"],
                "postcode": ["NS1 1AA", "NS1 9ZZ"],
                "closed": ["", "2025-12-31"],
            },
        }
    ]


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_command_prints_each_change_before_and_after(
    tmp_path: Path, kingsford: Organisation, capsys: Any, dry_run: bool
) -> None:
    args = ["--dry-run"] if dry_run else []
    call_command("import-organisations", str(changed_file(tmp_path)), "--format", "ods", *args)
    out = capsys.readouterr().out
    verb = "would change" if dry_run else "changed"
    assert f"Organisations already in the register that {verb}: 1" in out
    assert f"line 1: MILLBROOK SURGERY (organisation {kingsford.pk})" in out
    assert "  name: “MILLBROOK SURGERY” → “MILLBROOK MEDICAL CENTRE”" in out
    assert "  postcode: “NS1 1AA” → “NS1 9ZZ”" in out
    assert "  close date" not in out or "“” → “2025-12-31”" in out
    assert "keeps organisation type “GP practice (Kingsford PCN)”" in out


def test_all_or_nothing_one_bad_row_changes_nothing_and_lists_no_changes(
    tmp_path: Path, kingsford: Organisation, capsys: Any
) -> None:
    rows = [practice_row("G81001", "RENAMED"), practice_row("G00002", "BAD", opened="2020-01-01")]
    path = write_csv(tmp_path / "e.csv", rows)

    report = run(path)
    assert not report.ok and report.changes == [] and report.kept == []
    with pytest.raises(CommandError):
        call_command("import-organisations", str(path), "--format", "ods")
    assert "RENAMED" not in capsys.readouterr().out
    kingsford.refresh_from_db()
    assert kingsford.name == "MILLBROOK SURGERY"
    assert Organisation.objects.count() == 1


# ---- the web report ----------------------------------------------------------------------------------------


@pytest.fixture
def coordinator(client: Client, user: Any) -> Client:
    grant(user, PartnershipFactory(), role="coordinator")
    client.force_login(user)
    return client


def rows_html(before: str, after: str) -> str:
    return f'<td class="nhsuk-table__cell">{before}</td>\n      <td class="nhsuk-table__cell">{after}</td>'


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_web_report_lists_each_change(
    coordinator: Client, kingsford: Organisation, dry_run: bool
) -> None:
    rows = [practice_row("G81001", "MILLBROOK MEDICAL CENTRE", role="RO999")]
    response = upload(coordinator, ods_bytes(rows), **({"dry_run": "on"} if dry_run else {}))
    text = response.content.decode()
    assert response.status_code == 200
    assert ("What would change" if dry_run else "What changed") in text
    assert rows_html("MILLBROOK SURGERY", "MILLBROOK MEDICAL CENTRE") in text
    assert reverse("register:organisation_detail", args=[kingsford.pk]) in text
    assert "Kept as they are" in text
    assert rows_html("GP practice (Kingsford PCN)", "RO999") in text
    assert "<code>RO999</code> (1 row)" in text
    kingsford.refresh_from_db()
    assert (kingsford.name == "MILLBROOK MEDICAL CENTRE") is not dry_run


def test_a_background_import_keeps_its_change_report(
    coordinator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    OrganisationFactory(name="Old name", sector="nhs", ods_code="R00007", org_type="Our own words")
    rows = [ods_row(f"R{i:05d}", f"Trust {i}") for i in range(BACKGROUND_FROM_LINES + 10)]
    rows[7] = practice_row("R00007", "Trust 7", role="RO197")
    with django_capture_on_commit_callbacks(execute=True):
        upload(coordinator, ods_bytes(rows), dry_run="on")
    job = Job.objects.get()
    assert job.status == JobStatus.DONE
    assert json.dumps(job.result)  # stored as JSON
    text = coordinator.get(reverse("register:organisation_import_report", args=[job.pk])).content.decode()
    assert rows_html("Old name", "Trust 7") in text
    assert rows_html("Our own words", "NHS trust") in text
    assert Organisation.objects.count() == 1


# ---- the code list is versioned data, checked against its schema -----------------------------------------


def test_the_shipped_code_list_is_valid_and_versioned() -> None:
    codes = parse_code_list(CODES_PATH.read_bytes())
    assert codes.version >= 1
    assert codes.names["RO76"] == "GP practice" and codes.names["B"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "title: x\nsub_types: {}\nprescribing_settings: {}\nroles: {}\n",
            "'version' is a required property",
        ),
        (
            "version: 1\ntitle: x\nsub_types: {}\nprescribing_settings: {}\nroles: {XX1: GP}\n",
            "roles: 'XX1' does not match",
        ),
        ("version: 1\ntitle: x\nsub_types: {B: ''}\nprescribing_settings: {}\nroles: {}\n", "sub_types.B"),
        ("version: 1\ntitle: x\nsub_types: {}\nprescribing_settings: {}\nroles: {}\nextra: 1\n", "extra"),
    ],
)
def test_a_code_list_that_breaks_the_schema_is_refused(text: str, problem: str) -> None:
    with pytest.raises(CodeListError) as caught:
        parse_code_list(text)
    assert any(problem in p for p in caught.value.problems), caught.value.problems
