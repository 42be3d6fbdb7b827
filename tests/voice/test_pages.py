"""The staff pages: results by month (each number with its meaning), the CSV, the API, the poster PDF with its
QR code, the partnership-page section; and what each costs in queries at two sizes."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
import segno
from django.core.cache import cache
from pypdf import PdfReader

from joinedup.voice import poster, services
from tests.api_helpers import unfigure
from tests.conftest import grant
from tests.factories import UserFactory
from tests.query_counts import assert_num_queries_stable
from tests.voice.helpers import answers_in, feedback_setup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def with_answers() -> tuple[Any, Any, Any]:
    partnership, coordinator, form = feedback_setup()
    answers_in(form, 1, 14, overall="very_good")
    answers_in(form, 2, 4, overall="poor")  # hidden
    answers_in(form, 3, 16, overall="good")
    answers_in(form, 4, 12, overall="neither")
    return partnership, coordinator, form


def test_the_results_page_hides_a_small_month_and_says_what_each_number_means(
    client: Any, with_answers: Any
) -> None:
    partnership, _coordinator, _form = with_answers
    observer = UserFactory()
    grant(observer, partnership, "observer")
    client.force_login(observer)
    page = client.get(f"/voice/partnerships/{partnership.pk}/results/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "January 2026 14 100% (14)" in text
    assert "February 2026 Hidden to keep answers private" in text
    assert "is the share of them who said their experience was very good or good" in text
    assert "A month with fewer than 10 answers is hidden" in text
    assert "Download these figures" not in page  # an observer may not export


def test_the_csv_has_the_same_groups_hidden_alike_and_needs_export(client: Any, with_answers: Any) -> None:
    partnership, coordinator, _form = with_answers
    observer = UserFactory()
    grant(observer, partnership, "observer")
    client.force_login(observer)
    assert client.get(f"/voice/partnerships/{partnership.pk}/results.csv").status_code == 403
    client.force_login(coordinator)
    body = client.get(f"/voice/partnerships/{partnership.pk}/results.csv").content.decode()
    rows = {(r["service"], r["month"]): r for r in csv.DictReader(io.StringIO(body))}
    assert rows[("all services", "February 2026")]["answers"] == "hidden"
    assert rows[("all services", "January 2026")]["percent very good or good"] == "100"
    assert "4" not in rows[("all services", "February 2026")].values()


def test_the_api_gives_released_figures_only(client: Any, with_answers: Any) -> None:
    partnership, coordinator, _form = with_answers
    client.force_login(coordinator)
    raw = client.get(f"/api/v1/voice/partnerships/{partnership.pk}/results").json()
    hidden = next(m for m in raw["months"] if m["label"] == "February 2026")
    assert hidden["answers"] == {"value": None, "suppressed": "fewer_than_k"}
    data = unfigure(raw)
    months = {m["label"]: m for m in data["months"]}
    assert months["February 2026"] == {**months["February 2026"], "shown": False, "answers": None}
    assert months["January 2026"]["answers"] == 14 and data["smallest_group"] == 10
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(f"/api/v1/voice/partnerships/{partnership.pk}/results").status_code == 404


def test_the_poster_is_an_a4_pdf_with_the_link_and_a_qr_code_of_it(client: Any) -> None:
    _partnership, coordinator, form = feedback_setup()
    client.force_login(coordinator)
    response = client.get(f"/voice/forms/{form.pk}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    (page,) = reader.pages
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in (page.mediabox.width, page.mediabox.height))
    assert round(width_mm) == 210 and round(height_mm) == 297
    text = " ".join(page.extract_text().split())
    url = f"http://testserver/f/{form.code}/"
    assert url in text and "Tell us about Community mental health team" in text
    # The QR code drawn is the one segno makes for that link: its SVG matches a fresh encoding of the URL.
    svg = poster.qr_svg(url)
    assert f"QR code for {url}" in svg
    fresh = io.BytesIO()
    segno.make(url, error="m").save(
        fresh, kind="svg", scale=4, border=4, xmldecl=False, unit="mm", title=f"QR code for {url}"
    )
    assert svg == fresh.getvalue().decode()
    assert segno.make(url, error="m").designator[-1] in "MQH"  # at least medium error correction
    html = poster.poster_html(form=form, url=url)
    assert svg in html


def test_the_form_page_shows_the_short_link_and_qr_code(client: Any) -> None:
    _partnership, coordinator, form = feedback_setup()
    client.force_login(coordinator)
    page = client.get(f"/voice/forms/{form.pk}/").content.decode()
    assert f"http://testserver/f/{form.code}/" in page and "<svg" in page


def test_a_coordinator_creates_a_form_and_a_second_for_the_same_service_is_refused(client: Any) -> None:
    partnership, coordinator, _form = feedback_setup()
    client.force_login(coordinator)
    made = client.post(
        f"/voice/partnerships/{partnership.pk}/forms/new/", {"service": "Day centre", "min_group_size": 12}
    )
    assert made.status_code == 302
    twice = client.post(
        f"/voice/partnerships/{partnership.pk}/forms/new/", {"service": "Day centre", "min_group_size": 10}
    )
    assert "already has a feedback form for that service" in twice.content.decode()
    small = client.post(
        f"/voice/partnerships/{partnership.pk}/forms/new/", {"service": "Other", "min_group_size": 4}
    )
    assert "greater than or equal to 10" in small.content.decode()


def test_the_partnership_page_has_the_feedback_section(client: Any) -> None:
    partnership, coordinator, form = feedback_setup()
    services.response_submit(form=form, overall="good", statements={}, comment="Thanks")
    client.force_login(coordinator)
    page = client.get(f"/register/partnerships/{partnership.pk}/").content.decode()
    assert "1 answer sent so far through 1 form" in page
    assert "1 comment waiting for a moderator" in page


@pytest.mark.parametrize("page", ["results/", "", "moderation/", "themes/"])
def test_pages_cost_the_same_for_5_or_50_months_of_answers(client: Any, page: str) -> None:
    partnership, coordinator, form = feedback_setup()
    client.force_login(coordinator)
    added = [0]

    def add(n: int) -> None:
        for _ in range(n):
            added[0] += 1
            year, month = 2020 + added[0] // 12, added[0] % 12 + 1
            answers_in(form, month, 2, year=year)

    assert_num_queries_stable(client, f"/voice/partnerships/{partnership.pk}/{page}", setup=add)


def test_the_public_page_costs_the_same_for_5_or_50_entries(client: Any) -> None:
    partnership, coordinator, form = feedback_setup()
    answers_in(form, 3, 12)

    def add(n: int) -> None:
        theme = services.theme_save(by=coordinator, partnership=partnership, name=f"Theme {n}")
        from tests.factories.voice import YouSaidWeDidFactory

        for _ in range(n):
            YouSaidWeDidFactory(partnership=partnership, theme=theme)
            response = services.response_submit(form=form, overall="good", statements={}, comment="Good")
            services.comment_publish(by=coordinator, comment=response.comment)

    assert_num_queries_stable(client, f"/voice/public/{partnership.pk}/", setup=add)


def test_a_coordinator_names_a_safeguarding_lead_and_closes_the_form_on_its_settings_page(
    client: Any,
) -> None:
    partnership, coordinator, form = feedback_setup()
    lead = UserFactory(email="lead@example.org", full_name="Lee Lead")
    grant(lead, partnership, "member")
    client.force_login(coordinator)
    page = client.get(f"/voice/forms/{form.pk}/edit/").content.decode()
    assert "Lee Lead" in page
    saved = client.post(
        f"/voice/forms/{form.pk}/edit/",
        {"service": form.service, "min_group_size": 10, "safeguarding_lead": lead.pk},
    )
    assert saved.status_code == 302
    form.refresh_from_db()
    assert form.safeguarding_lead == lead and not form.is_open
    assert "Lee Lead" in client.get(f"/voice/forms/{form.pk}/").content.decode()
