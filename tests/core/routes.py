"""Every route of a URL configuration with what it declares it needs (`core.permissions.declared_permission`).

Pages are read from the view each URL pattern calls. The REST API's URL patterns all call django-ninja's
wrapper for a path (a `PathView`), so for those the declarations are read from the endpoint function of each
operation on that path. django-ninja's own routes (the schema, the docs and the API root) have no function of
ours to decorate: what they need is written in NINJA_OWN, from what they answer.

The Django admin (`/admin/`) is left out: every admin page is guarded by the admin itself (`is_staff`), not by
a partnership role.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from ninja.operation import PathView

from joinedup.core.permissions import Access, Permission, declared_permission

Needs = Permission | Access

# django-ninja's own routes under /api/v1/: what they answer to anyone, signed in or not.
NINJA_OWN: dict[str, Needs] = {
    "api:openapi-json": Access.PUBLIC,  # the OpenAPI schema: 200 to anyone (no data, only the API's shape)
    "api:openapi-view": Access.PUBLIC,  # the docs page rendering that schema: 200 to anyone
    "api:api-root": Access.PUBLIC,  # answers 404 to everyone; it exists so ninja can reverse its paths
}

SKIPPED_NAMESPACES = {"admin"}  # guarded by Django's admin (is_staff), see the module's docstring


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself when it has no name
    route: str  # "register/partnerships/<int:pk>/"
    needs: tuple[Needs | None, ...]  # a page's declaration, or one per API operation on the path
    methods: tuple[str, ...] = ()  # an API path's methods (GET, POST, ...); empty for pages

    @property
    def is_api(self) -> bool:
        return bool(self.methods) or self.name in NINJA_OWN

    @property
    def declared(self) -> bool:
        return all(n is not None for n in self.needs)


def _path_view(callback: Any) -> PathView | None:
    """The django-ninja PathView a URL pattern's callback wraps, if it is one (the wrapper closes over it)."""
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(value, PathView):
            return value
    return None


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            continue
        assert isinstance(pattern, URLPattern)
        route = prefix + str(pattern.pattern)
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or route)
        if name in NINJA_OWN:
            yield Route(name, route, (NINJA_OWN[name],))
            continue
        path_view = _path_view(pattern.callback)
        if path_view is not None:
            operations = path_view.operations
            needs = tuple(declared_permission(op.view_func) for op in operations)
            methods = tuple(m for op in operations for m in op.methods)
            yield Route(name, route, needs or (None,), methods)
            continue
        yield Route(name, route, (declared_permission(pattern.callback),))


def routes(urlconf: Any = None) -> list[Route]:
    """Every route of the URL configuration (the project's by default), the admin's left out."""
    return list(_walk(get_resolver(urlconf).url_patterns, "/", ""))


def undeclared(found: list[Route]) -> list[str]:
    """The routes that declare nothing, as "name (/route)" for the failure message."""
    return [f"{r.name} ({r.route})" for r in found if not r.declared]
