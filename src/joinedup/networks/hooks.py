"""What the networks app adds to the shell (joinedup.core.registry): the relationship survey as a kind of
wave, its section of the partnership page, its API."""

from typing import Any

from joinedup.core.permissions import Permission
from joinedup.core.registry import (
    ApiRouter,
    ExchangePart,
    FlagFacts,
    Section,
    Tool,
    WaveKindEntry,
    api_routers,
    exchange_parts,
    flag_facts,
    sections,
    tools,
    wave_kinds,
)
from joinedup.networks import api, api_responses, exchange, flags, views
from joinedup.networks.choices import RELATIONSHIP_KIND


def _section(*, user: Any, partnership: Any) -> dict[str, Any]:
    return {}  # a link only: no queries


wave_kinds.add(
    WaveKindEntry(
        key=RELATIONSHIP_KIND,
        label="Relationship survey",
        respond=views.respond,
        results_url_name="networks:wave",
        results_permission=Permission.NETWORK_VIEW,
    )
)
sections.add(
    Section(
        key="relationships",
        title="Working relationships",
        order=30,
        permission=Permission.NETWORK_VIEW,
        template="networks/_partnership_section.html",
        context=_section,
    )
)
api_routers.add(ApiRouter(key="networks", router=api.router, order=40))
api_routers.add(ApiRouter(key="networks-responses", router=api_responses.router, order=41))
tools.add(
    Tool(
        key="network-file",
        title="Analyse a network file",
        url_name="networks:analyse_file",
        description="measures and a map from your own list of who works with whom",
        order=10,
    )
)
flag_facts.add(FlagFacts(key="networks", facts=flags.flag_facts))

exchange_parts.add(ExchangePart(key="networks", order=36, level="partnership", attach=exchange.ATTACH))
