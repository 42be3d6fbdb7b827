from typing import Any

from joinedup.core.permissions import Permission
from joinedup.core.registry import ApiRouter, Section, api_routers, sections
from tests.core.throwaway import api


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
