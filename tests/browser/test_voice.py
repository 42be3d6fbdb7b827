"""Service-user feedback in real Chromium, with axe (zero serious or critical problems): a person answers on a
320-px phone without an account; a moderator publishes one comment and withholds another at 1280 and 375 px;
the results page shows a hidden month."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from joinedup.voice import poster, services
from joinedup.voice.models import FeedbackComment, FeedbackResponse
from tests.conftest import login
from tests.conftest import page_check as check
from tests.voice.helpers import answers_in, feedback_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_service_user_answers_on_a_320_px_phone_without_logging_in(page: Any) -> None:
    _partnership, _coordinator, form = feedback_setup()
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"/f/{form.code}/")
    check(page, "feedback-form-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing runs off the side
    page.get_by_role("button", name="Send").click()  # nothing chosen: the problem is named
    assert "Choose how your experience was overall" in page.locator(".nhsuk-error-summary").inner_text()
    check(page, "feedback-form-error-320")
    page.get_by_role(
        "group", name="Overall, how was your experience of Community mental health team?"
    ).get_by_label("Good", exact=True).check()
    page.get_by_label("What was good? What could be better?").fill(
        "The nurse listened. Call me on 07700 900123."
    )
    page.get_by_role("group", name="The staff listened to me.").get_by_label("Strongly agree").check()
    page.get_by_role("group", name="The services I used worked well together.").get_by_label(
        "Disagree", exact=True
    ).check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"**/f/{form.code}/thanks/")
    assert "Your answers have been sent" in page.locator("main").inner_text()
    check(page, "feedback-thanks-320")
    (response,) = FeedbackResponse.objects.all()
    assert response.overall == "good" and response.statements == {
        "listened": "strongly_agree",
        "together": "disagree",
    }
    assert "07700" not in FeedbackComment.objects.get().text


@pytest.mark.parametrize("width", [1280, 375])
def test_a_moderator_publishes_one_comment_and_withholds_another(page: Any, width: int) -> None:
    partnership, coordinator, form = feedback_setup()
    answers_in(form, 3, 12)
    day = datetime.date(2026, 3, 20)
    services.response_submit(
        form=form, overall="good", statements={}, comment="Joint visits helped a lot.", today=day
    )
    services.response_submit(
        form=form,
        overall="poor",
        statements={},
        comment="Nurse Quill was rude to my neighbour Sam.",
        today=day,
    )
    services.theme_save(by=coordinator, partnership=partnership, name="Working together")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, coordinator.email)
    page.goto(f"/voice/partnerships/{partnership.pk}/moderation/")
    assert "Waiting for a moderator: 2" in page.locator("main").inner_text()
    check(page, f"feedback-queue-{width}")
    page.locator(".nhsuk-card", has_text="Joint visits").get_by_role("link").click()
    check(page, f"feedback-comment-{width}")
    page.get_by_label("Working together").check()
    page.get_by_role("button", name="Publish").click()
    assert "The comment is published." in page.locator("main").inner_text()
    page.locator(".nhsuk-card", has_text="[name removed]").get_by_role("link").click()
    assert "Screening found something" in page.locator("main").inner_text()
    page.get_by_role("button", name="Withhold").click()
    text = page.locator("main").inner_text()
    assert "The comment is withheld." in text and "Published: 1" in text and "Withheld: 1" in text
    check(page, f"feedback-queue-done-{width}")
    page.goto(f"/voice/public/{partnership.pk}/")
    public = page.locator("main").inner_text()
    assert "Joint visits helped a lot." in public and "rude" not in public
    check(page, f"feedback-public-{width}")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_results_page_shows_months_and_a_hidden_one(page: Any, width: int) -> None:
    partnership, coordinator, form = feedback_setup()
    for month, n in ((1, 14), (2, 4), (3, 16), (4, 21), (5, 12)):
        answers_in(form, month, n)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, coordinator.email)
    page.goto(f"/voice/partnerships/{partnership.pk}/results/")
    assert "Hidden to keep answers private" in page.locator("main").inner_text()
    page.wait_for_selector("#monthly-chart[data-vega-ready]")
    assert page.locator("#monthly-chart svg").count() == 1  # drawn under the page's strict CSP
    check(page, f"feedback-results-{width}")
    page.goto(f"/voice/forms/{form.pk}/")
    check(page, f"feedback-form-page-{width}")


def test_the_poster_lays_out_on_one_page(page: Any) -> None:
    _partnership, _coordinator, form = feedback_setup()
    url = f"https://joinedup.example/f/{form.code}/"
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.set_content(poster.poster_html(form=form, url=url))
    assert url in page.locator("body").inner_text()
    check(page, "feedback-poster")
