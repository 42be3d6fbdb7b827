"""Reads shaped for the agreement pages that the selectors do not offer: list rows with their status,
structured fields as labelled rows, the organisations a user speaks or signs for, the diff's display rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from joinedup.agreements import selectors
from joinedup.agreements.choices import (
    Chairing,
    ContributionKind,
    DecisionRule,
    RiskShare,
    Term,
    VersionStatus,
)
from joinedup.agreements.content import FIELD_NAMES, ContributionData
from joinedup.agreements.diff import ContributionChange, FieldChange, VersionDiff
from joinedup.agreements.models import Agreement, AgreementReview, AgreementVersion, Signature
from joinedup.core.permissions import Permission, organisation_ids_with
from joinedup.register.models import Organisation, Partnership

S = VersionStatus

FIELD_LABELS = {
    "term": "Term",
    "end_date": "End date",
    "review_interval_months": "Review interval",
    "decision_rule": "Decision rule",
    "chairing": "Chairing",
    "chair_organisation_id": "Partner that always chairs",
    "host_organisation_id": "Host partner",
    "risk_share": "Risk share",
}
_CHOICE_LABELS: dict[str, dict[str, str]] = {
    "term": dict(Term.choices),
    "decision_rule": dict(DecisionRule.choices),
    "chairing": dict(Chairing.choices),
    "risk_share": dict(RiskShare.choices),
}
NOT_STATED = "Not stated"


def field_value(name: str, value: Any, labels: dict[str, str] | None = None) -> str:
    """A structured field's value in plain English (organisation ids through `labels`)."""
    if value in (None, ""):
        return NOT_STATED
    if name in _CHOICE_LABELS:
        return _CHOICE_LABELS[name].get(str(value), str(value))
    if name == "end_date" and isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if name == "review_interval_months":
        return f"Every {value} month{'s' if int(value) != 1 else ''}"
    if name.endswith("_organisation_id"):
        return (labels or {}).get(str(value), f"Organisation {value}")
    return str(value)


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    value: str


def field_rows(version: AgreementVersion) -> list[FieldRow]:
    labels = {
        str(o.pk): o.name for o in (version.chair_organisation, version.host_organisation) if o is not None
    }
    return [
        FieldRow(name, FIELD_LABELS[name], field_value(name, getattr(version, name), labels))
        for name in FIELD_NAMES
    ]


@dataclass(frozen=True)
class FieldChangeRow:
    label: str
    old: str
    new: str


def field_change_rows(diff: VersionDiff) -> list[FieldChangeRow]:
    labels = dict(diff.labels)
    return [
        FieldChangeRow(
            FIELD_LABELS[f.name], field_value(f.name, f.old, labels), field_value(f.name, f.new, labels)
        )
        for f in diff.fields
        if isinstance(f, FieldChange)
    ]


MONEY_UNITS = {"gbp": "£", "£": "£", "pounds": "£"}


def amount_text(amount: Any, unit: str = "") -> str:
    """An amount as a person reads it: pounds as £4,000,000 (pence only when there are some), anything else
    with thousands separators and no trailing zeros (1.5 WTE), then its unit."""
    if amount is None:
        return "–"
    value = Decimal(str(amount))
    whole = value == value.to_integral_value()
    number = f"{value:,.0f}" if whole else f"{value:,.2f}"
    symbol = MONEY_UNITS.get(unit.strip().lower())
    if symbol:
        return f"{symbol}{number}"
    if not whole:
        number = f"{value.normalize():,f}"
    return f"{number} {unit}".strip()


def contribution_text(c: ContributionData | None, labels: dict[str, str]) -> str:
    if c is None:
        return "–"
    parts = [labels.get(str(c.organisation_id), f"Organisation {c.organisation_id}") + ":"]
    parts.append(dict(ContributionKind.choices).get(c.kind, c.kind).lower())
    if c.amount is not None:
        parts.append(amount_text(c.amount, c.unit))
    elif c.unit:
        parts.append(c.unit)
    parts.extend(p for p in (c.period,) if p)
    if c.description:
        parts.append(f"({c.description})")
    return " ".join(parts)


@dataclass(frozen=True)
class ContributionChangeRow:
    status: str
    old: str
    new: str


def contribution_change_rows(diff: VersionDiff) -> list[ContributionChangeRow]:
    labels = dict(diff.labels)
    return [
        ContributionChangeRow(c.status, contribution_text(c.old, labels), contribution_text(c.new, labels))
        for c in diff.contributions
        if isinstance(c, ContributionChange)
    ]


# ---- who the user speaks and signs for ------------------------------------------------------------------


def represented_organisations(*, user: Any, partnership: Partnership) -> list[Organisation]:
    """The organisations the user speaks for in the partnership (comments, positions), by name."""
    return _organisations(organisation_ids_with(user, Permission.ORGANISATION_REPRESENT, partnership))


def signatory_organisations(*, user: Any, partnership: Partnership) -> list[Organisation]:
    """The organisations the user signs for in the partnership, by name."""
    return _organisations(organisation_ids_with(user, Permission.AGREEMENT_SIGN, partnership))


def _organisations(ids: set[int]) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []


# ---- the agreements list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementRow:
    agreement: Agreement
    in_force: AgreementVersion | None
    open_change: AgreementVersion | None
    statuses: list[str]
    next_review: datetime.date | None


def agreement_rows(*, partnership: Partnership, today: datetime.date | None = None) -> list[AgreementRow]:
    """Each agreement with its version in force, open draft or proposal, and status phrases (4 queries)."""
    today = today or timezone.localdate()
    agreements = list(selectors.agreement_list(partnership=partnership))
    parties = selectors.signing_party_ids(partnership=partnership)
    in_force = {a.pk: next((v for v in a.versions.all() if v.status == S.IN_FORCE), None) for a in agreements}
    in_force_ids = [v.pk for v in in_force.values() if v is not None]
    signed: dict[int, set[int]] = {}
    for version_id, org_id in Signature.objects.filter(version_id__in=in_force_ids).values_list(
        "version_id", "organisation_id"
    ):
        signed.setdefault(version_id, set()).add(org_id)
    last_reviews = dict(
        AgreementReview.objects.filter(version_id__in=in_force_ids)
        .values("version_id")
        .annotate(last=Max("date"))
        .values_list("version_id", "last")
    )
    rows = []
    for a in agreements:
        current = in_force[a.pk]
        open_change = next((v for v in a.versions.all() if v.status in (S.DRAFT, S.PROPOSED)), None)
        statuses: list[str] = []
        due = None
        if a.ended is not None:
            statuses.append(f"Ended {a.ended.strftime('%-d %B %Y')}")
        elif current is None:
            statuses.append("Not in force")
        elif parties <= signed.get(current.pk, set()):
            statuses.append("In force")
        else:
            statuses.append("In force, but not signed by all current members")
        if open_change is not None:
            statuses.append("Proposal open" if open_change.status == S.PROPOSED else "Draft open")
        if current is not None and a.ended is None:
            due = selectors.next_review_due(version=current, last_review=last_reviews.get(current.pk))
            if due is not None and due < today:
                statuses.append("Review overdue")
        rows.append(AgreementRow(a, current, open_change, statuses, due))
    return rows


def people_for_review(*, partnership: Partnership) -> Any:
    """People who may be named as review participants: representatives of current members."""
    from joinedup.register.models import Person

    return (
        Person.objects.filter(representing__partnership=partnership, representing__left__isnull=True)
        .distinct()
        .order_by("name")
    )
