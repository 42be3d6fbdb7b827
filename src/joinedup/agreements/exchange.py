"""The agreements' share of the JSON export (core.exchange_spec): agreements, their versions with clauses,
contributions, positions, signatures and comments, and their reviews.

Signed means unchangeable (ADR 8), in another installation too. A proposed or signed version is imported as a
draft, its clauses and contributions are put in, and only then is it frozen with its stored hash and times, so
the database's triggers hold it from then on; the hash is then worked out again from what was stored and the
import is refused when it differs. A version's hash covers the ids its organisations had where it was signed,
so the export carries them (`hashed_organisations`: organisation key -> that id; part of what was signed, not
a pointer), and the importing database keeps them beside the version (`hash_organisation_ids`).
"""

from __future__ import annotations

from typing import Any

from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.content import content_hash, content_of, hashed_id
from joinedup.agreements.models import (
    Agreement,
    AgreementReview,
    AgreementVersion,
    Clause,
    Comment,
    Contribution,
    Position,
    Signature,
)
from joinedup.core.exchange_spec import RecordProblem, Table, value_in

FROZEN_STATE = ("status", "content_hash", "proposed_at", "in_force_at", "superseded_at")
DRAFT_STATE = {"status": VersionStatus.DRAFT, "content_hash": "", "proposed_at": None}


def _hashed_organisations(row: AgreementVersion, record: dict[str, Any]) -> dict[str, Any]:
    from joinedup.core.exchange_export import current

    found: dict[str, int] = {}
    if row.status != VersionStatus.DRAFT:
        ids: set[int | None] = {c.organisation_id for c in row.contributions.all()}
        ids |= {row.chair_organisation_id, row.host_organisation_id}
        for pk in sorted(i for i in ids if i is not None):
            key = current().key_of("organisation", pk)
            if key is not None:
                found[key] = hashed_id(row, pk)  # type: ignore[assignment]
    record["hashed_organisations"] = dict(sorted(found.items()))
    return record


def _as_draft(record: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A version goes in as a draft (so its clauses can follow); `_freeze` gives it its state."""
    from joinedup.core.exchange_import import current

    values = {**values, **DRAFT_STATE, "in_force_at": None, "superseded_at": None}
    ids = {}
    for key, hashed in record["hashed_organisations"].items():
        pk = current().pk_of("organisation", key)
        if pk is None:
            raise RecordProblem(
                f"hashed_organisations: no organisation with the key {key!r} in this file or the database"
            )
        ids[str(pk)] = hashed
    values["hash_organisation_ids"] = ids
    return values


def _freeze(row: AgreementVersion, record: dict[str, Any]) -> str | None:
    """Give an imported version its stored state, then check its hash against what is now stored."""
    if record["status"] == VersionStatus.DRAFT:
        return None
    state = {name: value_in(AgreementVersion._meta.get_field(name), record[name]) for name in FROZEN_STATE}
    AgreementVersion.objects.filter(pk=row.pk).update(**state)
    stored = AgreementVersion.objects.prefetch_related("clauses", "contributions").get(pk=row.pk)
    if content_hash(content_of(stored)) != record["content_hash"]:
        return (
            "the clauses, contributions and details of this version in the file do not give the hash it was "
            f"proposed and signed with ({record['content_hash']}): the file has been changed since it was signed"
        )
    return None


clauses = Table(
    name="clauses",
    model=Clause,
    parent="version",
    key="agreements.clause",
    fields=("kind", "order", "text"),
)
contributions = Table(
    name="contributions",
    model=Contribution,
    parent="version",
    fields=("kind", "amount", "unit", "period", "description"),
    refs={"organisation": "organisation"},
)
positions = Table(
    name="positions",
    model=Position,
    parent="version",
    fields=("position", "reason", "recorded_at"),
    refs={"organisation": "organisation", "user": "user"},
)
signatures = Table(
    name="signatures",
    model=Signature,
    parent="version",
    fields=("signed_at", "content_hash"),
    refs={"organisation": "organisation", "user": "user"},
)
comments = Table(
    name="comments",
    model=Comment,
    parent="version",
    key="agreements.comment",
    fields=("text", "created_at"),
    refs={
        "clause": "agreements.clause",
        "parent": "agreements.comment",
        "author": "user",
        "organisation": "organisation",
    },
)
versions = Table(
    name="versions",
    model=AgreementVersion,
    parent="agreement",
    key="agreements.version",
    fields=(
        "number",
        "status",
        "term",
        "end_date",
        "review_interval_months",
        "decision_rule",
        "chairing",
        "risk_share",
        "lock_version",
        "content_hash",
        "proposed_at",
        "in_force_at",
        "superseded_at",
        "created_at",
        "updated_at",
    ),
    refs={
        "based_on": "agreements.version",
        "chair_organisation": "organisation",
        "host_organisation": "organisation",
        "proposed_by": "user",
        "created_by": "user",
        "updated_by": "user",
    },
    children=(clauses, contributions, positions, signatures, comments),
    dump=_hashed_organisations,
    prepare=_as_draft,
    finish=_freeze,
    left_out=("hash_organisation_ids",),  # written as hashed_organisations, by organisation key
    extra={
        "hashed_organisations": {
            "type": "object",
            "additionalProperties": {"type": "integer", "minimum": 1},
        }
    },
)
reviews = Table(
    name="reviews",
    model=AgreementReview,
    parent="agreement",
    fields=("date", "participants_text", "outcome", "notes", "created_at"),
    refs={"version": "agreements.version", "draft": "agreements.version", "recorded_by": "user"},
    many={"participants": "person"},
)
agreements = Table(
    name="agreements",
    model=Agreement,
    fields=("kind", "section75_kind", "title", "ended", "created_at"),
    refs={"created_by": "user"},
    children=(versions, reviews),
)

TABLES = (agreements,)
