"""What the insight app adds to the shell (joinedup.core.registry): its API (the flags), the partnership page's
link to the health page with its number of flags, and the flags on coordinators' "needs you" home. It also starts listening for
writes (`triggers`), so flags are recomputed after each one."""

from joinedup.core.permissions import Permission
from joinedup.core.registry import ApiRouter, NeedsSource, Section, api_routers, needs_sources, sections
from joinedup.insight import api, needs, selectors, triggers

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
triggers.connect()
