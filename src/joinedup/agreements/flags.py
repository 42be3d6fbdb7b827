"""What the agreements app tells the warning flags and the integration ladder (core.registry.flag_facts and
ladder_evidence): each agreement as it stands (in force, who has not signed, review due, a proposal waiting,
the "contract or partnership?" reading, contributions and chairing), and the spans each was in force.
A fixed number of queries whatever the number of agreements, versions or members."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Max, Prefetch
from django.urls import reverse

from joinedup.agreements.choices import Chairing, ClauseKind, ContributionKind, VersionStatus
from joinedup.agreements.models import Agreement, AgreementReview, AgreementVersion, Contribution
from joinedup.agreements.selectors import _local_date, next_review_due, reading_input, signing_parties
from joinedup.analysis.agreement_reading import read_agreement
from joinedup.analysis.flag_snapshot import AgreementFacts
from joinedup.core.registry import LadderSpan

S = VersionStatus


def _agreements(partnership: Any) -> list[Agreement]:
    versions = AgreementVersion.objects.order_by("-number").prefetch_related(
        "clauses",
        "signatures",
        Prefetch("contributions", queryset=Contribution.objects.select_related("organisation")),
    )
    return list(
        Agreement.objects.filter(partnership=partnership)
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("title", "id")
    )


def _facts(
    agreement: Agreement, parties: list[Any], last_reviews: dict[int, datetime.date]
) -> AgreementFacts:
    versions = list(agreement.versions.all())
    in_force = next((v for v in versions if v.status == S.IN_FORCE), None)
    proposed = next((v for v in versions if v.status == S.PROPOSED), None)
    url = reverse("agreements:detail", args=[agreement.pk])
    waiting = _local_date(proposed.proposed_at) if proposed and proposed.proposed_at else None
    if in_force is None or agreement.ended is not None:
        return AgreementFacts(title=agreement.title, url=url, in_force=False, proposal_waiting_since=waiting)
    signed = {s.organisation_id for s in in_force.signatures.all()}
    reading = read_agreement(reading_input(version=in_force, parties=parties))
    money: dict[str, float] = {}
    for c in in_force.contributions.all():
        if c.kind == ContributionKind.MONEY and c.amount is not None:
            money[str(c.organisation_id)] = money.get(str(c.organisation_id), 0.0) + float(c.amount)
    return AgreementFacts(
        title=agreement.title,
        url=reverse("agreements:version", args=[agreement.pk, in_force.number]),
        in_force=True,
        has_aims_clause=any(c.kind == ClauseKind.AIMS for c in in_force.clauses.all()),
        unsigned=tuple(str(o.pk) for o in parties if o.pk not in signed),
        review_due=next_review_due(version=in_force, last_review=last_reviews.get(in_force.pk)),
        proposal_waiting_since=waiting,
        contract_like=reading.verdict == "contract_like",
        criteria_not_met=tuple(c.title for c in reading.criteria if c.status == "not_met"),
        contributions=money,
        fixed_chair=in_force.chairing == Chairing.FIXED_PARTNER,
        casting_vote=False,  # agreements record no casting vote yet
    )


def flag_facts(*, partnership: Any, today: datetime.date) -> dict[str, Any]:
    """The partnership's agreements as the flags read them (7 queries)."""
    agreements = _agreements(partnership)
    parties = [m.organisation for m in signing_parties(partnership=partnership)]
    last_reviews = dict(
        AgreementReview.objects.filter(agreement__partnership=partnership, version__isnull=False)
        .values("version")
        .annotate(last=Max("date"))
        .values_list("version", "last")
    )
    facts = [_facts(a, parties, last_reviews) for a in agreements]
    return {
        "agreements": tuple(facts),
        "pages.agreements": reverse("agreements:list", args=[partnership.pk]),
    }


def ladder_spans(*, partnership: Any) -> list[LadderSpan]:
    """Every version that has been in force, as the span of days it was (3 queries)."""
    versions = (
        AgreementVersion.objects.filter(
            agreement__partnership=partnership, status__in=[S.IN_FORCE, S.SUPERSEDED]
        )
        .select_related("agreement")
        .prefetch_related("clauses")
        .order_by("in_force_at", "pk")
    )
    spans = []
    for v in versions:
        if v.in_force_at is None:
            continue
        agreement = v.agreement
        end = _local_date(v.superseded_at) if v.superseded_at else agreement.ended
        spans.append(
            LadderSpan(
                arrangement=agreement.section75_kind or agreement.kind,
                start=_local_date(v.in_force_at),
                end=end,
                title=f"{agreement.title}, version {v.number}",
                url=reverse("agreements:version", args=[agreement.pk, v.number]),
                aims=any(c.kind == ClauseKind.AIMS for c in v.clauses.all()),
            )
        )
    return spans
