"""What the insight app adds to the shell (joinedup.core.registry): its API (the flags), the partnership page's
link to the health page with its number of flags, each partnership's flags and ladder step on the place page, and
the flags on coordinators' "needs you" home. It also starts listening for writes (`triggers`), so flags are
recomputed after each one."""

from joinedup.core.permissions import Permission
from joinedup.core.registry import (
    ApiRouter,
    ExchangePart,
    NeedsSource,
    PlaceFacts,
    Section,
    api_routers,
    exchange_parts,
    needs_sources,
    place_facts,
    sections,
)
from joinedup.insight import api, exchange, needs, selectors, triggers

api_routers.add(ApiRouter(key="insight", router=api.router, order=70))

sections.add(
    Section(
        key="insight",
        title="Partnership health",
        order=15,
        permission=Permission.PARTNERSHIP_VIEW,
        template="insight/_partnership_section.html",
        context=selectors.partnership_section,
    )
)
needs_sources.add(NeedsSource(key="insight", needs=needs.needs))
place_facts.add(PlaceFacts(key="insight", facts=selectors.place_facts, order=10))
triggers.connect()

exchange_parts.add(ExchangePart(key="insight", order=70, level="partnership", tables=exchange.TABLES))
