"""What the voice app adds to the shell (joinedup.core.registry): its section of the partnership page, its API,
"needs you" items (comments to moderate; safeguarding concerns for a form's lead) and result links on the place
page."""

from joinedup.core.permissions import Permission
from joinedup.core.personal_data import PersonalData, personal_data
from joinedup.core.registry import (
    ApiRouter,
    FlagFacts,
    NeedsSource,
    PlaceResults,
    Section,
    api_routers,
    flag_facts,
    needs_sources,
    place_results,
    sections,
)
from joinedup.voice import api, flags, needs, personal, selectors

sections.add(
    Section(
        key="voice",
        title="Feedback from people who use services",
        order=45,
        permission=Permission.PARTNERSHIP_VIEW,
        template="voice/_partnership_section.html",
        context=selectors.partnership_section,
    )
)
api_routers.add(ApiRouter(key="voice", router=api.router, order=60))
needs_sources.add(NeedsSource(key="voice", needs=needs.needs))
place_results.add(PlaceResults(key="voice", results=selectors.place_results))
flag_facts.add(FlagFacts(key="voice", facts=flags.flag_facts))

personal_data.add(PersonalData(key="voice", export=personal.export, erase=personal.erase, order=60))
