"""`joinedup import` of bad files: each refused with its JSON path, all or nothing, through the bounded reader."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from joinedup.analysis.reading import DEFAULT_LIMITS, amount
from joinedup.core.exchange_export import export_document
from joinedup.core.exchange_import import ImportRefused, import_bytes
from joinedup.core.models import AuditEvent
from joinedup.register.models import Organisation, Partnership, Person
from tests.factories import UserFactory
from tests.factories.agreements import AgreementFactory, frozen_version
from tests.factories.register import MembershipFactory, OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """A small partnership: two members, a signed agreement version with two clauses and contributions."""
    with django_db_blocker.unblock(), transaction.atomic():
        partnership = PartnershipFactory(name="Riverside Partnership")
        members = [OrganisationFactory(name=name) for name in ("Riverside Council", "Riverside Trust")]
        for organisation in members:
            MembershipFactory(partnership=partnership, organisation=organisation)
        agreement = AgreementFactory(partnership=partnership, created_by=UserFactory())
        frozen_version(agreement=agreement, clauses=2, organisations=members)
        found = export_document()
        transaction.set_rollback(True)
    yield found


def nothing_written() -> bool:
    return not (
        Partnership.objects.exists()
        or Organisation.objects.exists()
        or Person.objects.exists()
        or AuditEvent.objects.exists()
    )


def refused(data: bytes, **options: Any) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        import_bytes(data, **options)
    assert nothing_written()
    return caught.value.problems


def changed(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> bytes:
    edited = copy.deepcopy(document)
    change(edited)
    return json.dumps(edited).encode()


def test_the_small_document_imports(document):
    report = import_bytes(json.dumps(document).encode())
    assert report.created["partnerships"] == 1 and report.created["agreements.versions"] == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.update(format="other"),
            '$.format: this is not a JoinedUp export (its "format" must be "joinedup")',
        ),
        (
            lambda d: d.update(version=2),
            "$.version: this file is version 2 of the export format; this JoinedUp reads version 1",
        ),
        (
            lambda d: d["partnerships"][0]["memberships"][0].pop("organisation"),
            "$.partnerships[0].memberships[0]: 'organisation' is a required property",
        ),
        (
            lambda d: d["partnerships"][0]["memberships"][1].update(organisation="nowhere-council"),
            "$.partnerships[0].memberships[1].organisation: no organisation with the key 'nowhere-council' in this "
            "file or the database",
        ),
        (
            lambda d: d["partnerships"][0]["memberships"][0].update(joined=20260101),
            "$.partnerships[0].memberships[0].joined: 20260101 is not of type 'string'",
        ),
        (
            lambda d: d["partnerships"][0]["memberships"][0].update(joined="1 March"),
            "$.partnerships[0].memberships[0].joined: '1 March' does not match",
        ),
        (
            lambda d: d["partnerships"][0]["memberships"][0].update(joined="2026-13-45"),
            "$.partnerships[0].memberships[0].joined: month must be in 1..12",
        ),
        (
            lambda d: d["partnerships"][0]["memberships"][1].update(
                organisation=d["partnerships"][0]["memberships"][0]["organisation"]
            ),
            "$.partnerships[0].memberships[1]: the database refused this (",
        ),
        (
            lambda d: d["organisations"][1].update(key=d["organisations"][0]["key"]),
            "$.organisations[1].key: the key 'riverside-council' is used twice (first at $.organisations[0])",
        ),
        (
            lambda d: d["partnerships"][0]["agreements"][0]["versions"][0]["clauses"][1].update(
                key="clause-1"
            ),
            "$.partnerships[0].agreements[0].versions[0].clauses[1].key: the key 'clause-1' is used twice",
        ),
        (
            lambda d: d["partnerships"][0].update(surprise=1),
            "$.partnerships[0]: Additional properties are not allowed ('surprise' was unexpected)",
        ),
    ],
    ids=[
        "format",
        "version",
        "missing",
        "unknown-key",
        "type",
        "date",
        "no-such-day",
        "refused-by-the-database",
        "duplicate-key",
        "duplicate-clause",
        "extra",
    ],
)
def test_a_bad_document_is_refused_with_its_json_path(document, change, expected):
    problems = refused(changed(document, change))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_changed_signed_clause_is_refused_after_the_hash_is_worked_out_again(document):
    def tamper(d: dict[str, Any]) -> None:
        d["partnerships"][0]["agreements"][0]["versions"][0]["clauses"][0]["text"] = (
            "We may change this later."
        )

    problems = refused(changed(document, tamper))
    assert problems[0].startswith("$.partnerships[0].agreements[0].versions[0]: the clauses, contributions")
    assert "the file has been changed since it was signed" in problems[0]


def test_an_existing_partnership_is_refused_and_existing_organisations_are_used(document):
    import_bytes(json.dumps(document).encode())
    with pytest.raises(ImportRefused) as caught:
        import_bytes(json.dumps(document).encode())
    assert caught.value.problems[0].startswith(
        "$.partnerships[0].key: a partnership with the key 'riverside-partnership' is already in the database"
    )
    without_partnership = {**document, "partnerships": []}
    report = import_bytes(json.dumps(without_partnership).encode(), dry_run=True)
    assert report.existing["organisations"] == 2 and report.created["organisations"] == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "$: the file is empty"),
        (b"\xff\xfe{\x00}\x00", "$: the file is UTF-16 (little-endian) text"),
        (b"[" * 10_000 + b"]" * 10_000, "$: line 1, column 65: the JSON is nested more than 64 levels deep"),
        (b'{"format": "joinedup",', "$: line 1, column 23: this is not valid JSON"),
        (
            b'{"format": "joinedup", "format": "x"}',
            "$: $: the member name 'format' is used twice in one object",
        ),
        (b"[1, 2]", "$: the file holds no JSON object"),
    ],
    ids=["empty", "utf16", "deep", "broken", "repeated-member", "not-an-object"],
)
def test_a_bad_file_is_refused_before_it_is_parsed(data, expected):
    problems = refused(data)
    assert problems[0].startswith(expected), problems


def test_a_file_over_the_size_limit_is_refused(document):
    data = json.dumps(document).encode()
    problems = refused(data, limits=DEFAULT_LIMITS.replace(max_bytes=len(data) - 1))
    assert problems == [
        f"$: the file is larger than {amount(len(data) - 1)} (to allow more, use --max-bytes on the command "
        "line; see docs/limits.md)"
    ]


def test_a_dry_run_writes_nothing_and_says_what_it_would_make(document):
    report = import_bytes(json.dumps(document).encode(), dry_run=True)
    assert nothing_written()
    assert report.created["partnerships"] == 1 and report.created["agreements.versions.clauses"] == 2
    assert "Dry run: nothing was written." in report.lines()[0]


def test_the_command_exits_2_with_the_paths_and_writes_nothing(document, tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_bytes(
        changed(document, lambda d: d["partnerships"][0]["memberships"][0].update(organisation="x"))
    )
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), stdout=StringIO())
    assert caught.value.returncode == 2
    assert "nothing was written" in str(caught.value)
    assert "$.partnerships[0].memberships[0].organisation: no organisation with the key 'x'" in str(
        caught.value
    )
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), "--max-bytes", "1K", stdout=StringIO())
    assert "larger than 1 KB" in str(caught.value)
    assert nothing_written()


def test_the_export_command_refuses_an_existing_file_and_an_unknown_partnership(tmp_path: Path):
    existing = tmp_path / "there.json"
    existing.write_text("{}")
    for arguments, message in (
        (["--out", str(existing)], "already exists"),
        (
            ["--partnership", "nowhere", "--out", str(tmp_path / "new.json")],
            "No partnership has the key or number",
        ),
        ([], "Say where to write the export"),
    ):
        with pytest.raises(CommandError) as caught:
            call_command("export", *arguments, stdout=StringIO())
        assert caught.value.returncode == 2 and message in str(caught.value)
    assert existing.read_text() == "{}" and not (tmp_path / "new.json").exists()
