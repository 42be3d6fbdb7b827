from typing import Any

from joinedup.core.permissions import Permission
from joinedup.core.registry import ApiRouter, Section, WaveKindEntry, api_routers, sections, wave_kinds
from tests.core.throwaway import api

CLOSED: list[int] = []  # the waves of its kind the app heard had closed


def _respond(request: Any, target: Any, token: str, step: str) -> Any:
    raise NotImplementedError  # nobody answers a seedling count in this test


def _closed(wave: Any) -> None:
    CLOSED.append(wave.pk)


def _section(*, user: Any, partnership: Any) -> dict[str, Any]:
    return {"seedlings": 3}


sections.add(
    Section(
        key="seedlings",
        title="Seedlings planted",
        order=25,
        permission=Permission.PARTNERSHIP_VIEW,
        template="throwaway/_section.html",
        context=_section,
    )
)
api_routers.add(ApiRouter(key="throwaway", router=api.router))
wave_kinds.add(
    WaveKindEntry(
        key="seedcount",
        label="Seedling count",
        respond=_respond,
        results_url_name="register:partnership_detail",
        on_close=_closed,
    )
)
