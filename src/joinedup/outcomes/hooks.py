"""What the outcomes app adds to the shell (joinedup.core.registry): its section of the partnership page, its
API, its indicators as records other apps may link to, special-cause signals on the partnership timeline,
"needs you" items for the organisations that owe a figure, and links from the place page."""

from joinedup.core.permissions import Permission
from joinedup.core.personal_data import PersonalData, personal_data
from joinedup.core.registry import (
    ApiRouter,
    FlagFacts,
    NeedsSource,
    PlaceResults,
    RecordKind,
    Section,
    TimelineSource,
    api_routers,
    flag_facts,
    needs_sources,
    place_results,
    record_kinds,
    sections,
    timeline_sources,
)
from joinedup.outcomes import api, flags, needs, personal, selectors
from joinedup.outcomes.choices import INDICATOR_KIND

sections.add(
    Section(
        key="outcomes",
        title="Indicators",
        order=35,
        permission=Permission.PARTNERSHIP_VIEW,
        template="outcomes/_partnership_section.html",
        context=selectors.partnership_section,
    )
)
api_routers.add(ApiRouter(key="outcomes", router=api.router, order=45))
record_kinds.add(
    RecordKind(
        key=INDICATOR_KIND,
        label="Indicator",
        options=selectors.record_options,
        resolve=selectors.record_resolve,
    )
)
timeline_sources.add(TimelineSource(key="outcomes", entries=selectors.timeline_entries))
needs_sources.add(NeedsSource(key="outcomes", needs=needs.needs))
place_results.add(PlaceResults(key="outcomes", results=selectors.place_results))
flag_facts.add(FlagFacts(key="outcomes", facts=flags.flag_facts))

personal_data.add(PersonalData(key="outcomes", export=personal.export, erase=personal.erase, order=40))
