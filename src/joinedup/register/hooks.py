"""What the register adds to the shell (joinedup.core.registry): its API."""

from joinedup.core.registry import ApiRouter, api_routers
from joinedup.register import api

api_routers.add(ApiRouter(key="register", router=api.router, order=10))
