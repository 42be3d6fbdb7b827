"""What the register adds to the shell (joinedup.core.registry): its API and its "needs you" items."""

from joinedup.core.registry import ApiRouter, NeedsSource, api_routers, needs_sources
from joinedup.register import api, needs

api_routers.add(ApiRouter(key="register", router=api.router, order=10))
needs_sources.add(NeedsSource(key="register", needs=needs.needs))
