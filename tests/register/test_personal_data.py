"""`joinedup person export|erase EMAIL` (issue 15 item 4): everything held about a person, and erasure that
leaves no trace of their name or address anywhere in the database (read as an attacker would, every column of
every table), keeps anonymous aggregates valid, and keeps the audit record verifiable."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from joinedup.core.audit import chains_verify
from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent
from joinedup.core.services import audit_record
from joinedup.register import personal
from joinedup.register.services import person_save
from joinedup.surveys.choices import Anonymity
from joinedup.surveys.models import Response
from tests.conftest import PASSWORD, grant
from tests.factories import (
    AffiliationFactory,
    CommentFactory,
    InvitationFactory,
    MeasurementFactory,
    MembershipFactory,
    PartnershipFactory,
    ResponseFactory,
    UserFactory,
    WaveFactory,
)
from tests.factories.core import JobFactory
from tests.factories.governance import ActionFactory, AttendanceFactory, DeclarationFactory
from tests.factories.register import AccessTokenFactory

pytestmark = pytest.mark.django_db
NAME, EMAIL = "Dana Whitfield", "dana.whitfield@example.org"


@pytest.fixture
def world() -> dict[str, Any]:
    partnership = PartnershipFactory(name="Kingsford Partnership")
    admin = UserFactory(email="admin@example.org")
    user = UserFactory(email=EMAIL, full_name=NAME)
    grant(user, partnership, "coordinator")
    person = person_save(by=admin, name=NAME, email=EMAIL, job_title="Head of Adult Social Care", user=user)
    AffiliationFactory(person=person, job_title="Head of Adult Social Care")
    membership = MembershipFactory(partnership=partnership)
    membership.representatives.add(person)
    AccessTokenFactory(user=user, name="Dana's laptop")
    audit_record(by=user, verb=AuditVerb.PARTNERSHIP_UPDATED, target=partnership, data={"lead": NAME})
    CommentFactory(author=user, text="I would rather we pooled the budget.")
    confidential = WaveFactory(
        partnership=partnership, anonymity=Anonymity.CONFIDENTIAL, title="Spring check"
    )
    invitation = InvitationFactory(wave=confidential, email=EMAIL, person=person, answered=True)
    mine = ResponseFactory(wave=confidential, invitation=invitation, submitted=True, respondent_name=NAME)
    anonymous = WaveFactory(partnership=partnership, anonymity=Anonymity.ANONYMOUS)
    other = ResponseFactory(wave=anonymous, submitted=True, invitation=None)
    AttendanceFactory(person=person, name=NAME)
    DeclarationFactory(name=NAME, interest="Trustee of a provider")
    ActionFactory(partnership=partnership, owner_person=person, title="Draft the pooled budget")
    MeasurementFactory(entered_by=user)
    JobFactory(kind="reports.pack", created_by=admin, payload=f"<h2>Representatives</h2> {NAME}".encode())
    bystander = UserFactory(email="someone.else@example.org")
    return {"user": user, "person": person, "mine": mine, "other": other, "bystander": bystander}


def export(email: str = EMAIL) -> dict[str, Any]:
    out = StringIO()
    call_command("person", "export", email, stdout=out)
    return json.loads(out.getvalue())


def test_the_export_holds_everything_about_the_person_and_nobody_else(world: dict[str, Any]) -> None:
    document = export(EMAIL.upper())  # addresses match whatever their case
    assert document["format"] == "joinedup-person" and document["version"] == 1
    register = document["register"]
    assert register["people"][0]["name"] == NAME and register["people"][0]["represents"]
    account = register["account"]
    assert account["email"] == EMAIL and account["roles"][0]["role"] == "Partnership coordinator"
    assert account["api_tokens"][0]["name"] == "Dana's laptop"
    assert any(e["what"] == "Partnership changed" for e in account["audit_events_written"])
    assert document["agreements"]["comments"][0]["text"] == "I would rather we pooled the budget."
    invitation = document["surveys"]["invitations"][0]
    assert invitation["wave"] == "Spring check" and invitation["answers"]["name_given"] == NAME
    assert document["governance"]["declarations"][0]["interest"] == "Trustee of a provider"
    assert document["governance"]["actions_owned"][0]["action"] == "Draft the pooled budget"
    assert len(document["outcomes"]["measurements_entered"]) == 1
    text = json.dumps(document)
    assert "someone.else@example.org" not in text and "admin@example.org" not in text
    assert "digest" not in text  # a token's secret never leaves
    assert AuditEvent.objects.filter(verb=AuditVerb.PERSON_EXPORTED).count() == 1


def every_stored_text() -> str:
    """Every value of every column of every table, as an attacker with a copy of the database would read it."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            found += [str(value) for row in cursor.fetchall() for value in row if value is not None]
    return "\n".join(found).casefold()


def test_after_erasure_no_column_of_any_table_holds_the_name_or_address(world: dict[str, Any]) -> None:
    assert NAME.casefold() in every_stored_text() and EMAIL in every_stored_text()  # the test can fail
    out = StringIO()
    call_command("person", "erase", EMAIL, stdout=out)
    assert "Erased dana.whitfield@example.org" in out.getvalue()
    stored = every_stored_text()
    assert NAME.casefold() not in stored
    assert EMAIL not in stored and "whitfield" not in stored
    assert "someone.else@example.org" in stored  # nobody else was touched


def test_erasure_keeps_answers_and_counts_but_cuts_every_link(world: dict[str, Any]) -> None:
    answers = {r.pk: r.answers for r in Response.objects.all()}
    personal.person_erase(by=None, email=EMAIL)
    assert {r.pk: r.answers for r in Response.objects.all()} == answers  # published results stay true
    mine = Response.objects.get(pk=world["mine"].pk)
    assert mine.invitation_id is None and mine.respondent_name == "" and mine.submitted_at is None
    assert mine.submitted_on is not None
    person = world["person"]
    person.refresh_from_db()
    assert person.name.startswith("Erased person ") and person.email == "" and person.user_id is None
    assert person.representing.count() == 1  # the membership still counts a representative


def test_the_erased_person_can_never_sign_in_again(world: dict[str, Any], client: Client) -> None:
    assert client.login(username=EMAIL, password=PASSWORD)
    personal.person_erase(by=None, email=EMAIL)
    user = world["user"]
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and not user.partnership_roles.exists()
    assert client.get("/").wsgi_request.user.is_authenticated is False  # the open session ended too
    assert not client.login(username=EMAIL, password=PASSWORD)


def test_the_audit_record_still_verifies_and_still_catches_a_later_edit(world: dict[str, Any]) -> None:
    assert all(r.intact for r in chains_verify())
    result = personal.person_erase(by=None, email=EMAIL)
    assert result["audit_events_redacted"] == 2  # the person added; the partnership they changed
    reports = chains_verify()
    assert all(r.intact for r in reports), [r.problem for r in reports]
    erasure = AuditEvent.objects.get(verb=AuditVerb.PERSON_ERASED)
    assert NAME not in json.dumps(erasure.data) and EMAIL not in json.dumps(erasure.data)
    redacted_id = int(next(iter(erasure.data["redacted"])))
    AuditEvent.objects.filter(pk=redacted_id).update(target_label="rewritten after the erasure")
    assert any("no longer matches its hash" in r.problem for r in chains_verify())


def test_a_dry_run_says_what_would_change_and_changes_nothing(world: dict[str, Any]) -> None:
    before = every_stored_text()
    out = StringIO()
    call_command("person", "erase", EMAIL, "--dry-run", stdout=out)
    assert "Would erase" in out.getvalue() and "audit record" in out.getvalue()
    assert every_stored_text() == before


def test_nobody_with_that_address_is_a_clear_error(world: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No account and no person") as raised:
        call_command("person", "erase", "nobody@example.org")
    assert raised.value.returncode == 2
    out = tmp_path / "dana.json"
    call_command("person", "export", EMAIL, "--out", str(out), stdout=StringIO())
    assert json.loads(out.read_text())["email"] == EMAIL


def test_erasing_the_only_coordinator_says_the_partnership_needs_another(world: dict[str, Any]) -> None:
    out = StringIO()
    call_command("person", "erase", EMAIL, stdout=out)
    assert "register: 1 partnerships left without a coordinator" in out.getvalue()
    assert "register: 1 roles" in out.getvalue()
