"""Helpers for tests of the API's answers."""

from __future__ import annotations

from typing import Any

REASONS = {"fewer_than_k", "too_few_raters", "not_released"}  # core.api_figures.Suppressed


def is_figure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"value", "suppressed"}


def unfigure(data: Any) -> Any:
    """The API's JSON with every figure (`{"value": v, "suppressed": reason}`) replaced by its value, so it can
    be compared with what a page or a selector holds. A hidden figure must carry no value and a known reason."""
    if is_figure(data):
        assert data["suppressed"] is None or (data["value"] is None and data["suppressed"] in REASONS), data
        return data["value"]
    if isinstance(data, dict):
        return {k: unfigure(v) for k, v in data.items()}
    if isinstance(data, list):
        return [unfigure(v) for v in data]
    return data


def reasons(data: Any) -> set[str]:
    """Every reason code a JSON answer gives for a hidden figure."""
    if is_figure(data):
        return {data["suppressed"]} if data["suppressed"] else set()
    if isinstance(data, dict):
        return set().union(*(reasons(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(reasons(v) for v in data)) if data else set()
    return set()


def walk(client: Any, url: str, *, limit: int = 7, **params: Any) -> list[dict[str, Any]]:
    """Every item of an API list, following `next` page by page; fails on a repeated item or a bad page."""
    items: list[dict[str, Any]] = []
    page = client.get(url, {"limit": limit, **params})
    pages = 0
    while True:
        assert page.status_code == 200, page.content[:300]
        body = page.json()
        assert len(body["items"]) <= limit
        items += body["items"]
        pages += 1
        assert pages < 1000, "the pages never end"
        if body["next"] is None:
            assert body["next_cursor"] is None
            break
        assert body["items"], "a page with a next page is never empty"
        page = client.get(body["next"])
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "an item came twice"
    return items


def token_for(user: Any, partnerships: list[Any], *, can_write: bool = True) -> str:
    from joinedup.register import tokens

    _token, text = tokens.token_create(
        by=user, name="test", partnerships=partnerships, can_write=can_write, days=1
    )
    return text


class Api:
    """A test client that sends a bearer token (or a session) and JSON bodies."""

    def __init__(self, token: str | None = None, *, user: Any = None, headers: dict[str, str] | None = None):
        from django.test import Client

        self.client = Client()
        self.headers = dict(headers or {})
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if user is not None:
            self.client.force_login(user)

    def get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(url, params or {}, **self.headers)

    def send(self, method: str, url: str, body: Any = None, **headers: str) -> Any:
        import json

        data = "" if body is None else json.dumps(body)
        return getattr(self.client, method)(
            url, data, content_type="application/json", **self.headers, **headers
        )

    def post(self, url: str, body: Any = None, **headers: str) -> Any:
        return self.send("post", url, body, **headers)
