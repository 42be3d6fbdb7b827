"""The REST API (`/api/v1/`, schema at `/api/v1/openapi.json`, docs at `/api/v1/docs`).

Requests authenticate with a personal access token (`Authorization: Bearer jup_...`, joinedup.register.tokens)
or the browser's session (with CSRF on writes). Each app registers its router from its own `hooks.py` (joinedup.core.registry.api_routers); this adds them all.
"""

from ninja.security import django_auth

from joinedup.core.api_rules import JoinedUpApi, install
from joinedup.core.registry import api_routers
from joinedup.register.tokens import TokenAuth


def build_api(urls_namespace: str = "api") -> JoinedUpApi:
    api = JoinedUpApi(
        title="JoinedUp API", version="1", urls_namespace=urls_namespace, auth=[TokenAuth(), django_auth]
    )
    install(api)  # bad input answers 422, never a server error
    for entry in api_routers:
        api.add_router("/", entry.router)
    return api


api = build_api()
