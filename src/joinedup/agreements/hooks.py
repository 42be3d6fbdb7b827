"""What the agreements app adds to the shell (joinedup.core.registry), including its clauses as records other
apps may link to ("agreements.clause": an indicator names the aims-and-outcomes clause it serves)."""

from typing import Any

from django.urls import reverse

from joinedup.agreements import api, flags, needs, personal, selectors
from joinedup.agreements.choices import ClauseKind, VersionStatus
from joinedup.agreements.models import Clause
from joinedup.core.permissions import Permission
from joinedup.core.personal_data import PersonalData, personal_data
from joinedup.core.registry import (
    ApiRouter,
    FlagFacts,
    LadderEvidence,
    NeedsSource,
    RecordKind,
    RecordRef,
    Section,
    api_routers,
    flag_facts,
    ladder_evidence,
    needs_sources,
    record_kinds,
    sections,
)

CLAUSE_KIND = "agreements.clause"
_CURRENT = (VersionStatus.IN_FORCE, VersionStatus.PROPOSED, VersionStatus.DRAFT)


def _clause_ref(clause: Clause) -> RecordRef:
    version = clause.version
    return RecordRef(
        kind=CLAUSE_KIND,
        id=clause.pk,
        title=f"{version.agreement.title}, version {version.number}: {clause.get_kind_display()} (clause {clause.order})",
        url=reverse("agreements:version", args=[version.agreement_id, version.number]),
        partnership_id=version.agreement.partnership_id,
    )


def clause_options(*, partnership: Any) -> list[RecordRef]:
    """The clauses of each agreement's current version (in force, else the newest proposed or draft), the
    aims-and-outcomes clauses first. One query."""
    clauses = list(
        Clause.objects.filter(version__agreement__partnership=partnership, version__status__in=_CURRENT)
        .select_related("version__agreement")
        .order_by("version__agreement__title", "version__agreement_id", "version__number", "order")
    )
    current: dict[int, Any] = {}
    for clause in clauses:
        version = clause.version
        best = current.get(version.agreement_id)
        if best is None or (
            best.status != VersionStatus.IN_FORCE
            and (version.status == VersionStatus.IN_FORCE or version.number > best.number)
        ):
            current[version.agreement_id] = version
    chosen = [c for c in clauses if current[c.version.agreement_id].pk == c.version_id]
    chosen.sort(key=lambda c: c.kind != ClauseKind.AIMS)  # stable: aims first, each agreement in order
    return [_clause_ref(c) for c in chosen]


def clause_resolve(*, ids: list[int]) -> list[RecordRef]:
    return [_clause_ref(c) for c in Clause.objects.filter(pk__in=ids).select_related("version__agreement")]


sections.add(
    Section(
        key="agreements",
        title="Agreements",
        order=20,
        permission=Permission.PARTNERSHIP_VIEW,
        template="agreements/_partnership_section.html",
        context=selectors.partnership_section,
    )
)
api_routers.add(ApiRouter(key="agreements", router=api.router, order=20))
needs_sources.add(NeedsSource(key="agreements", needs=needs.needs))
record_kinds.add(
    RecordKind(key=CLAUSE_KIND, label="Agreement clause", options=clause_options, resolve=clause_resolve)
)
flag_facts.add(FlagFacts(key="agreements", facts=flags.flag_facts))
ladder_evidence.add(LadderEvidence(key="agreements", spans=flags.ladder_spans))

personal_data.add(PersonalData(key="agreements", export=personal.export, erase=personal.erase, order=20))
