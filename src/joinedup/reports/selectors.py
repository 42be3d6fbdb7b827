"""Reads of the reports app: a partnership's review pack (or one partner's governance pack), built from the same
figures the pages show. The partnership's picture comes from the health page's selector (insight) over flags
worked out now; the charts and the breakdown tables come from the selectors of the results pages (assessments,
outcomes, voice), which apply disclosure control. Nothing here reads raw answers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from joinedup.core.models import Job
from joinedup.insight import selectors as insight_selectors
from joinedup.insight.models import FlagSet
from joinedup.insight.services import flags_compute
from joinedup.register.models import Organisation
from joinedup.register.selectors import membership_list
from joinedup.reports import sections_figures, sections_work
from joinedup.reports.choices import PACK_JOB
from joinedup.reports.pack import Pack, Section


class PackProblem(ValueError):
    """A pack that cannot be made as asked (an organisation that is not a member): the message says why."""


def pack_members(*, partnership: Any) -> QuerySet[Organisation]:
    """The partnership's current member organisations, each of which may have a governance pack."""
    return (
        Organisation.objects.filter(memberships__partnership=partnership, memberships__left__isnull=True)
        .distinct()
        .order_by("name", "id")
    )


def pack_organisation(*, partnership: Any, text: str) -> Organisation:
    """A current member organisation of the partnership, by its number or exact name."""
    text = text.strip()
    members = pack_members(partnership=partnership)
    found = members.filter(pk=int(text)).first() if text.isdigit() else None
    if found is None:
        named = list(members.filter(name=text)[:2])
        if len(named) > 1:
            raise PackProblem(f"Two member organisations are called {text!r}: give the number instead.")
        found = named[0] if named else None
    if found is None:
        raise PackProblem(
            f"No current member organisation of {partnership.name} is numbered or called {text!r}."
        )
    return found


def pack_build(
    *, user: Any, partnership: Any, organisation: Organisation | None = None, made_for: str = ""
) -> Pack:
    """The pack as `user` may see it (the network parts only with NETWORK_VIEW, people as the register shows
    them), worked out now. With `organisation`: that member's governance pack."""
    flag_set = FlagSet(partnership=partnership, **flags_compute(partnership=partnership))
    health = insight_selectors.health(user=user, partnership=partnership, flag_set=flag_set)
    key = str(organisation.pk) if organisation is not None else None
    sections: list[Section] = []
    if organisation is not None and key is not None:
        memberships = membership_list(user=user, partnership=partnership, include_past=False)
        membership = next((m for m in memberships if m.organisation_id == organisation.pk), None)
        sections.append(sections_work.organisation_section(health, organisation, key, membership))
    sections += [
        sections_work.agreement_section(health, key),
        sections_figures.assessment_section(health, partnership),
    ]
    if health["network"] is not None:
        sections.append(sections_figures.network_section(health, partnership))
    sections += [
        sections_figures.indicators_section(health, partnership),
        sections_figures.feedback_section(health, partnership),
        sections_work.governance_section(health, key),
        sections_work.flags_section(health),
        sections_work.ladder_section(health),
    ]
    name = partnership.name
    title = (
        f"{organisation.name}: governance pack for {name}"
        if organisation is not None
        else f"{name}: partnership review pack"
    )
    return Pack(
        title=title,
        partnership=name,
        organisation=organisation.name if organisation is not None else None,
        made_at=timezone.now(),
        made_for=made_for or _name_of(user),
        computed_at=flag_set.computed_at,
        sections=sections,
    )


def _name_of(user: Any) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "email", "") or "the command line")


def pack_job_get(*, pk: str) -> Job | None:
    """A pack job, with its partnership (whose it is and whether it may be downloaded is the view's check)."""
    return Job.objects.filter(pk=pk, kind=PACK_JOB).select_related("partnership").first()


def partnership_section(*, user: Any, partnership: Any) -> dict[str, Any]:
    """The partnership page's link to the pack form: no figures, no queries."""
    return {}
