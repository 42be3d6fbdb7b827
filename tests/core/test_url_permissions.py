"""The URL sweep: every route, page or API operation, declares what it needs (CONVENTIONS item 8).

What each route then really answers to each role is the matrix in test_access_matrix.py.
"""

from __future__ import annotations

import types
from pathlib import Path

from django.http import HttpResponse
from django.urls import include, path

from joinedup.core.permissions import Access, Permission, permission_declared
from tests.core.routes import routes, undeclared

REPO = Path(__file__).resolve().parents[2]


def test_every_route_declares_what_it_needs():
    found = routes()
    missing = undeclared(found)
    assert not missing, "Routes without @permission_declared(...): " + ", ".join(missing)


def test_the_sweep_reaches_pages_the_api_and_included_urlconfs():
    found = {r.name: r for r in routes()}
    assert found["register:partnership_detail"].needs == (Permission.PARTNERSHIP_VIEW,)
    assert found["accounts:login"].needs == (Access.PUBLIC,)
    # an API operation, read through the endpoint's @paginate wrapper
    api = found["api:list_partnerships"]
    assert api.is_api and api.methods == ("GET",) and api.needs == (Permission.REGISTER_VIEW,)
    assert found["api:get_agreement"].needs == (Permission.PARTNERSHIP_VIEW,)
    assert not any(name.startswith("admin:") for name in found)  # the admin guards itself (is_staff)


def _declared(request):  # type: ignore[no-untyped-def]
    return HttpResponse("ok")


def _forgotten(request):  # type: ignore[no-untyped-def]
    return HttpResponse("no declaration")


def test_a_route_without_a_declaration_fails_the_sweep_by_name():
    inner = types.ModuleType("inner_urls")
    inner.app_name = "inner"  # type: ignore[attr-defined]
    inner.urlpatterns = [path("forgotten/<int:pk>/", _forgotten, name="forgotten")]  # type: ignore[attr-defined]
    urlconf = types.ModuleType("tiny_urls")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("fine/", permission_declared(Access.SIGNED_IN)(_declared), name="fine"),
        path("deep/", include(inner)),
    ]
    assert undeclared(routes(urlconf)) == ["inner:forgotten (/deep/forgotten/<int:pk>/)"]


def test_partnership_roles_are_read_and_written_only_by_the_access_code():
    """PartnershipRole rows belong to register.roles (the access code's storage side) and to the tests."""
    src = REPO / "src" / "joinedup"
    outside = [
        f"{file.relative_to(REPO)}:{number}"
        for file in sorted(src.rglob("*.py"))
        if file != src / "register" / "roles.py"
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
        if "PartnershipRole.objects" in line
    ]
    assert not outside, "PartnershipRole rows used outside register/roles.py: " + ", ".join(outside)
