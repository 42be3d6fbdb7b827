"""What the agreements app adds to the shell (joinedup.core.registry)."""

from joinedup.agreements import api, needs, selectors
from joinedup.core.permissions import Permission
from joinedup.core.registry import ApiRouter, NeedsSource, Section, api_routers, needs_sources, sections

sections.add(
    Section(
        key="agreements",
        title="Agreements",
        order=20,
        permission=Permission.PARTNERSHIP_VIEW,
        template="agreements/_partnership_section.html",
        context=selectors.partnership_section,
    )
)
api_routers.add(ApiRouter(key="agreements", router=api.router, order=20))
needs_sources.add(NeedsSource(key="agreements", needs=needs.needs))
