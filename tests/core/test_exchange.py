"""`joinedup export` / `joinedup import` on the whole Northshire demo: lossless, checked by the shipped JSON
Schema, anonymous answers unlinkable in the file, signed versions still intact, the audit chains too.

The demo is built once for the module, exported (whole and one partnership) and rolled back; each test then
imports into the empty database inside its own transaction."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from joinedup.agreements.content import content_intact
from joinedup.agreements.models import AgreementVersion
from joinedup.core.audit import chains_verify
from joinedup.core.choices import AuditVerb
from joinedup.core.exchange_export import export_document, tables
from joinedup.core.exchange_import import import_bytes
from joinedup.core.exchange_schema import SCHEMA_PATH, document_schema, document_validator
from joinedup.core.exchange_spec import Table
from joinedup.core.models import AuditEvent
from joinedup.demo.northshire import build_northshire
from joinedup.register.models import Organisation, Partnership
from joinedup.surveys.choices import Anonymity
from joinedup.surveys.services import response_submit
from joinedup.voice.models import FeedbackComment
from tests.factories.networks import TieRatingFactory
from tests.factories.surveys import InvitationFactory, ResponseFactory, WaveFactory

pytestmark = pytest.mark.django_db

DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@pytest.fixture(scope="module")
def exported(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        demo = build_northshire()
        mh = demo["partnerships"]["mh"]
        anonymous_wave(mh)
        out = tmp_path_factory.mktemp("export") / "mh.json"
        key = export_document(partnership=mh)["scope"]["partnership"]
        call_command("export", "--partnership", key, "--out", str(out), stdout=StringIO())
        found = {
            "all": export_document(),
            "mh": json.loads(out.read_text(encoding="utf-8")),
            "mh_name": mh.name,
            "originals": list(FeedbackComment.objects.values_list("original", flat=True)),
        }
        transaction.set_rollback(True)  # the tests import into the empty database
    yield found


def anonymous_wave(partnership: Partnership) -> None:
    """The demo's waves are confidential: add an anonymous one, answered through the real service, and a draft."""
    organisations = list(Organisation.objects.filter(memberships__partnership=partnership)[:3])
    wave = WaveFactory(partnership=partnership, anonymity=Anonymity.ANONYMOUS, title="Anonymous pulse")
    for i in range(8):
        invitation = InvitationFactory(
            wave=wave, email=f"pulse{i}@northshire.example", organisation=organisations[i % 3]
        )
        response = ResponseFactory(
            wave=wave,
            invitation=invitation,
            organisation=organisations[i % 3],
            respondent_name=f"Pulse person {i}",
            answers={"q1": 1 + i % 4},
        )
        if i < 7:
            response_submit(response=response)
    ties = WaveFactory(
        partnership=partnership, anonymity=Anonymity.ANONYMOUS, relationship=True, title="Ties"
    )
    for i in range(5):  # started in the opposite order of their ratings
        response = ResponseFactory(wave=ties, organisation=organisations[0], answers={})
        for organisation in organisations[1:]:
            TieRatingFactory(response=response, target=organisation, frequency=5 - i)
        response_submit(response=response)


def as_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def without_time(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def shift_ids() -> None:
    """Use up some ids, so the imported rows get other ids than they had (as in another installation)."""
    made = [Organisation.objects.create(name=f"Placeholder {i}", sector="nhs") for i in range(7)]
    Organisation.objects.filter(pk__in=[o.pk for o in made]).delete()


def test_the_round_trip_of_the_whole_demo_is_lossless_and_keeps_signatures_and_chains(exported):
    document = exported["all"]
    assert Partnership.objects.count() == 0
    shift_ids()
    report = import_bytes(as_bytes(document))
    assert report.created["partnerships"] == 6 and report.created["agreements.versions.clauses"] > 0
    again = export_document()
    assert without_time(again) == without_time(document)
    versions = list(AgreementVersion.objects.prefetch_related("clauses", "contributions"))
    signed = [v for v in versions if v.status != "draft"]
    assert signed and all(content_intact(v) for v in signed)
    assert any(
        v.hash_organisation_ids and any(k != str(i) for k, i in v.hash_organisation_ids.items())
        for v in signed
    )
    reports = chains_verify()
    assert reports and all(r.intact for r in reports)
    imported = AuditEvent.objects.filter(verb=AuditVerb.RECORDS_IMPORTED)
    assert imported.count() == 6 + 1  # one per partnership and one on the register's chain
    mh = next(p for p in document["partnerships"] if p["name"] == exported["mh_name"])
    event = imported.get(target_type="register.partnership", target_label=exported["mh_name"])
    assert event.data["made"]["meetings"] == len(mh["meetings"]) and event.data["made"]["partnerships"] == 1
    register = imported.get(chain="register")
    assert register.data["made"]["organisations"] == len(document["organisations"])


def test_one_partnership_round_trips_with_what_its_records_point_at(exported):
    document = exported["mh"]
    assert [p["name"] for p in document["partnerships"]] == [exported["mh_name"]]
    member_keys = {m["organisation"] for m in document["partnerships"][0]["memberships"]}
    assert member_keys <= {o["key"] for o in document["organisations"]}
    assert len(document["organisations"]) < len(exported["all"]["organisations"])
    import_bytes(as_bytes(document))
    again = export_document(partnership=Partnership.objects.get())
    assert without_time(again) == without_time(document)


def test_the_export_matches_the_shipped_schema_and_the_schema_matches_the_apps(exported):
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == document_schema(), (
        "run `joinedup export --schema > src/joinedup/core/export.schema.json`"
    )
    for document in (exported["all"], exported["mh"]):
        errors = list(document_validator().iter_errors(document))
        assert errors == []


def _anonymous_responses(document: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    found = []
    for partnership in document["partnerships"]:
        for wave in partnership["waves"]:
            if wave["anonymity"] == Anonymity.ANONYMOUS:
                found += [(wave, response) for response in wave["responses"]]
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_anonymous_responses_in_the_file_lead_to_nobody(exported):
    document = exported["all"]
    anonymous = _anonymous_responses(document)
    assert len(anonymous) == 7 + 5  # the draft stays behind
    invitation_keys = {
        i["key"] for p in document["partnerships"] for w in p["waves"] for i in w["invitations"]
    }
    for _wave, response in anonymous:
        assert not {"invitation", "respondent_name", "started_at", "updated_at", "submitted_at"} & set(
            response
        )
        strings = list(_strings(response))
        assert not any("@" in s for s in strings), "an e-mail address in an anonymous response"
        assert not any(DATETIME.search(s) for s in strings), "a time in an anonymous response"
        assert not invitation_keys & set(strings)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", response["submitted_on"])
    ratings = [rating for _w, response in anonymous for rating in response["tie_ratings"]]
    assert len(ratings) == 5 * 2 and not any("updated_at" in rating for rating in ratings)
    # in the order of their answers (ratings included), not the order they were started in
    for partnership in document["partnerships"]:
        for wave in partnership["waves"]:
            if wave["anonymity"] == Anonymity.ANONYMOUS:
                content = [
                    json.dumps({k: v for k, v in r.items() if k != "key"}, sort_keys=True)
                    for r in wave["responses"]
                ]
                assert content == sorted(content)
    frequencies = [r["tie_ratings"][0]["frequency"] for _w, r in anonymous if r["tie_ratings"]]
    assert frequencies == [1, 2, 3, 4, 5]


def test_no_raw_feedback_leaves_and_no_database_id_is_a_key(exported):
    text = json.dumps(exported["all"], ensure_ascii=False)
    originals = [o for o in exported["originals"] if len(o) > 20]
    assert originals and not any(json.dumps(o, ensure_ascii=False)[1:-1] in text for o in originals)
    assert '"id"' not in text and '"pk"' not in text
    for partnership in exported["all"]["partnerships"]:
        assert "feedback_responses" not in partnership


def test_an_imported_anonymous_response_keeps_no_link_even_if_the_file_has_one(exported):
    document = copy.deepcopy(exported["all"])
    _wave, response = _anonymous_responses(document)[0]
    response["started_at"] = "2026-03-01T09:15:00+00:00"
    response["respondent_name"] = "Someone"
    import_bytes(as_bytes(document))
    from joinedup.surveys.models import Response

    anonymous = Response.objects.filter(wave__anonymity=Anonymity.ANONYMOUS)
    assert anonymous.exists()
    assert not anonymous.exclude(started_at=None).exists()
    assert not anonymous.exclude(respondent_name="").exists()
    assert not anonymous.exclude(invitation=None).exists()


def test_the_import_and_export_commands(exported, tmp_path: Path):
    path = tmp_path / "all.json"
    path.write_bytes(as_bytes(exported["all"]))
    out = StringIO()
    call_command("import", str(path), "--dry-run", stdout=out)
    assert "Dry run: nothing was written." in out.getvalue()
    assert "  partnerships: 6 new" in out.getvalue()
    assert Partnership.objects.count() == 0 and AuditEvent.objects.count() == 0


def _walk(table: Table) -> Iterator[Table]:
    yield table
    for child in table.children:
        yield from _walk(child)


def test_every_field_of_every_exported_model_is_written_or_left_out_on_purpose():
    unaccounted = {}
    for level in ("top", "partnership"):
        for table in (t for top in tables(level) for t in _walk(top)):
            stored = {
                f.name
                for f in table.model._meta.get_fields()
                if (f.concrete or f.many_to_many) and not f.auto_created
            }
            written = {*table.fields, *table.refs, *table.many, table.parent, *table.left_out}
            written |= {name for pair in table.generic.values() for name in pair}
            missing = sorted(stored - written - {"id"})
            if missing:
                unaccounted[f"{table.model.__name__} ({table.name})"] = missing
    assert unaccounted == {}, "write these fields in the app's exchange.py, or list them in left_out"
