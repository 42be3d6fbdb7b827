"""The REST API (`/api/v1/`, schema at `/api/v1/openapi.json`, docs at `/api/v1/docs`).

Each app contributes a router from its own `api.py`.
"""

from ninja import NinjaAPI
from ninja.security import django_auth

from joinedup.agreements.api import router as agreements_router
from joinedup.assessments.api import router as assessments_router
from joinedup.networks.api import router as networks_router
from joinedup.register.api import router as register_router

api = NinjaAPI(title="JoinedUp API", version="1", urls_namespace="api", auth=django_auth)
api.add_router("/", register_router)
api.add_router("/", agreements_router)
api.add_router("/", assessments_router)
api.add_router("/", networks_router)
