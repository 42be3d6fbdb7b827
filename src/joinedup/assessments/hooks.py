"""What the assessments app adds to the shell (joinedup.core.registry): the assessment as a kind of wave (with
its final release when a wave closes), its API, and its released results as facts for the warning flags."""

from joinedup.assessments import api, exchange, flags
from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.assessments.services import wave_results_closed
from joinedup.assessments.views.respond import respond
from joinedup.core.registry import (
    ApiRouter,
    ExchangePart,
    FlagFacts,
    WaveKindEntry,
    api_routers,
    exchange_parts,
    flag_facts,
    wave_kinds,
)

wave_kinds.add(
    WaveKindEntry(
        key=ASSESSMENT_KIND,
        label="Partnership assessment",
        respond=respond,
        results_url_name="assessments:results",
        needs_instrument=True,
        on_close=wave_results_closed,
    )
)
api_routers.add(ApiRouter(key="assessments", router=api.router, order=30))
flag_facts.add(FlagFacts(key="assessments", facts=flags.flag_facts))

exchange_parts.add(ExchangePart(key="assessments", order=35, level="partnership", tables=exchange.TABLES))
