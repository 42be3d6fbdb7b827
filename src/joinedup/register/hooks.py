"""What the register adds to the shell (joinedup.core.registry): its API, its "needs you" items and its events
on the partnership timeline."""

from joinedup.core.personal_data import PersonalData, personal_data
from joinedup.core.registry import (
    ApiRouter,
    FlagFacts,
    NeedsSource,
    TimelineSource,
    api_routers,
    flag_facts,
    needs_sources,
    timeline_sources,
)
from joinedup.register import api, flags, needs, personal, selectors

api_routers.add(ApiRouter(key="register", router=api.router, order=10))
needs_sources.add(NeedsSource(key="register", needs=needs.needs))
timeline_sources.add(TimelineSource(key="register", entries=selectors.timeline_entries))
flag_facts.add(FlagFacts(key="register", facts=flags.flag_facts))

personal_data.add(PersonalData(key="register", export=personal.export, erase=personal.erase, order=10))
