"""What the assessments app adds to the shell (joinedup.core.registry): the assessment as a kind of wave, and
its API."""

from joinedup.assessments import api
from joinedup.assessments.views.respond import respond
from joinedup.core.registry import ApiRouter, WaveKindEntry, api_routers, wave_kinds
from joinedup.surveys.choices import WaveKind

wave_kinds.add(
    WaveKindEntry(key=WaveKind.ASSESSMENT, respond=respond, results_url_name="assessments:results")
)
api_routers.add(ApiRouter(key="assessments", router=api.router, order=30))
