"""The API documentation page works under the site's strict Content-Security-Policy (self-hosted Swagger UI, no
inline script): in real Chromium with the policy enforced, the operations render and nothing is refused."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_with_the_policy_enforced(browser: Any, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url)  # CSP enforced (no bypass, unlike `page`)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: refused.append(str(e)))
    try:
        response = page.goto("/api/v1/docs")
        assert response is not None and response.status == 200
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
        page.locator(".swagger-ui .opblock").first.wait_for(timeout=15_000)
        assert page.locator(".swagger-ui .opblock").count() >= 10
        text = page.locator(".swagger-ui").inner_text()
        assert "/api/v1/organisations" in text and "/api/v1/waves/{wave_id}/results" in text
        assert not refused, refused
    finally:
        context.close()
