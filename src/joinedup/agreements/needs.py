"""What agreements put on a user's "needs you" home (core.registry.needs_sources): proposals waiting for the
signature of an organisation they sign for, objections to proposals they made or coordinate, and reviews due
in the next 30 days or overdue in partnerships where they may record a review. Five queries, whatever the
number of partnerships."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from joinedup.agreements.choices import PositionKind, VersionStatus
from joinedup.agreements.models import AgreementVersion, Signature
from joinedup.agreements.selectors import NON_SIGNING_ROLES, review_schedule
from joinedup.core.permissions import Permission, organisation_grants_with, partnership_ids_with
from joinedup.core.registry import Need
from joinedup.register.models import Membership

REVIEW_NOTICE_DAYS = 30


def _version_url(version: AgreementVersion) -> str:
    return reverse("agreements:version", args=[version.agreement_id, version.number])


def _to_sign(user: Any) -> list[Need]:
    grants = organisation_grants_with(user, Permission.AGREEMENT_SIGN)
    if not grants:
        return []
    partnership_ids = {p for p, _ in grants}
    proposals = list(
        AgreementVersion.objects.filter(
            status=VersionStatus.PROPOSED, agreement__partnership_id__in=partnership_ids
        ).select_related("agreement__partnership")
    )
    if not proposals:
        return []
    signed = set(Signature.objects.filter(version__in=proposals).values_list("version_id", "organisation_id"))
    parties = {
        (m.partnership_id, m.organisation_id): m.organisation.name
        for m in Membership.objects.filter(
            partnership_id__in=partnership_ids,
            organisation_id__in={o for _, o in grants},
            left__isnull=True,
        )
        .exclude(role__in=NON_SIGNING_ROLES)
        .select_related("organisation")
    }
    needs = []
    for version in proposals:
        partnership = version.agreement.partnership
        for p, org in sorted(grants):
            if p != partnership.pk or (p, org) not in parties or (version.pk, org) in signed:
                continue
            needs.append(
                Need(
                    title=f"Sign {version.agreement.title} (version {version.number})",
                    reason=f"Proposed for signature; {parties[p, org]} has not signed it yet, and you sign for it.",
                    url=_version_url(version),
                    partnership=partnership.name,
                )
            )
    return needs


def _objections(user: Any) -> list[Need]:
    coordinated = partnership_ids_with(user, Permission.PARTNERSHIP_EDIT)
    versions = (
        AgreementVersion.objects.filter(status=VersionStatus.PROPOSED)
        .filter(Q(proposed_by=user) | Q(agreement__partnership_id__in=coordinated))
        .annotate(objections=Count("positions", filter=Q(positions__position=PositionKind.OBJECT)))
        .filter(objections__gt=0)
        .select_related("agreement__partnership")
    )
    return [
        Need(
            title=f"Answer {v.objections} objection{'s' if v.objections != 1 else ''} to {v.agreement.title}",
            reason="A member objects to the proposal: talk it through, then revise or withdraw it.",
            url=_version_url(v),
            partnership=v.agreement.partnership.name,
        )
        for v in versions
    ]


def _reviews(user: Any, today: datetime.date) -> list[Need]:
    recorders = partnership_ids_with(user, Permission.PARTNERSHIP_EDIT)
    if not recorders and not user.is_superuser:
        return []
    horizon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    return [
        Need(
            title=f"Review {r.agreement.title}",
            reason=(
                f"The review was due on {r.due:%-d %B %Y}."
                if r.overdue
                else f"A review is due by {r.due:%-d %B %Y}."
            ),
            url=reverse("agreements:review_add", args=[r.agreement.pk]),
            partnership=r.agreement.partnership.name,
            due=r.due,
            overdue=r.overdue,
        )
        for r in review_schedule(user=user, today=today)
        if r.due <= horizon and (user.is_superuser or r.agreement.partnership_id in recorders)
    ]


def needs(*, user: Any, today: datetime.date) -> list[Need]:
    return [*_to_sign(user), *_objections(user), *_reviews(user, today)]
