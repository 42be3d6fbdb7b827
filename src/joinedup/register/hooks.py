"""What the register adds to the shell (joinedup.core.registry): its API, its "needs you" items and its events
on the partnership timeline."""

from joinedup.core.personal_data import PersonalData, personal_data
from joinedup.core.registry import (
    ApiRouter,
    ExchangePart,
    FlagFacts,
    NeedsSource,
    TimelineSource,
    api_routers,
    exchange_parts,
    flag_facts,
    needs_sources,
    timeline_sources,
)
from joinedup.register import api, exchange, flags, needs, personal, selectors

api_routers.add(ApiRouter(key="register", router=api.router, order=10))
needs_sources.add(NeedsSource(key="register", needs=needs.needs))
timeline_sources.add(TimelineSource(key="register", entries=selectors.timeline_entries))
flag_facts.add(FlagFacts(key="register", facts=flags.flag_facts))
exchange_parts.add(
    ExchangePart(
        key="register", order=10, level="top", tables=exchange.TOP, natural_keys=exchange.NATURAL_KEYS
    )
)
exchange_parts.add(
    ExchangePart(key="register.partnership", order=10, level="partnership", tables=exchange.INNER)
)

personal_data.add(PersonalData(key="register", export=personal.export, erase=personal.erase, order=10))
