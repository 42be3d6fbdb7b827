"""What the surveys app adds to the shell (joinedup.core.registry): its API, its section of the partnership page
and its "needs you" items."""

from typing import Any

from joinedup.core.permissions import Permission
from joinedup.core.personal_data import PersonalData, personal_data
from joinedup.core.registry import (
    ApiRouter,
    ExchangePart,
    NeedsSource,
    PlaceResults,
    Section,
    api_routers,
    exchange_parts,
    needs_sources,
    place_results,
    sections,
)
from joinedup.surveys import api, exchange, needs, personal, selectors


def _section(*, user: Any, partnership: Any) -> dict[str, Any]:
    return {}  # a link only: no queries


sections.add(
    Section(
        key="surveys",
        title="Surveys",
        order=40,
        permission=Permission.PARTNERSHIP_VIEW,
        template="surveys/_partnership_section.html",
        context=_section,
    )
)
needs_sources.add(NeedsSource(key="surveys", needs=needs.needs))
place_results.add(PlaceResults(key="surveys", results=selectors.place_results))
api_routers.add(ApiRouter(key="surveys", router=api.router, order=25))
exchange_parts.add(ExchangePart(key="surveys", order=30, level="partnership", tables=exchange.TABLES))
personal_data.add(PersonalData(key="surveys", export=personal.export, erase=personal.erase, order=30))
