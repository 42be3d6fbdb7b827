"""What the governance app adds to the shell (joinedup.core.registry): its section of the partnership page,
its API, decisions and actions as records other apps link to, its timeline entries and "needs you" items."""

from joinedup.core.permissions import Permission
from joinedup.core.personal_data import PersonalData, personal_data
from joinedup.core.registry import (
    ApiRouter,
    FlagFacts,
    NeedsSource,
    RecordKind,
    Section,
    TimelineSource,
    api_routers,
    flag_facts,
    needs_sources,
    record_kinds,
    sections,
    timeline_sources,
)
from joinedup.governance import api, flags, needs, personal, records, selectors

sections.add(
    Section(
        key="governance",
        title="Meetings and decisions",
        order=35,
        permission=Permission.PARTNERSHIP_VIEW,
        template="governance/_partnership_section.html",
        context=selectors.partnership_section,
    )
)
api_routers.add(ApiRouter(key="governance", router=api.router, order=50))
record_kinds.add(
    RecordKind(
        key=records.DECISION_KIND,
        label="Decision",
        options=records.decision_options,
        resolve=records.decision_resolve,
    )
)
record_kinds.add(
    RecordKind(
        key=records.ACTION_KIND,
        label="Action",
        options=records.action_options,
        resolve=records.action_resolve,
    )
)
timeline_sources.add(TimelineSource(key="governance", entries=records.timeline))
needs_sources.add(NeedsSource(key="governance", needs=needs.needs))
flag_facts.add(FlagFacts(key="governance", facts=flags.flag_facts))

personal_data.add(PersonalData(key="governance", export=personal.export, erase=personal.erase, order=50))
