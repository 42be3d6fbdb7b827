"""A person's own things, in real Chromium with axe at 1280 and 375 px: their home lists a survey to answer and an
invitation to a role, which they accept there; they ask for a new survey link; and they change their e-mail address
on their account page through the link sent to the new one."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.register.models import PartnershipRole
from joinedup.surveys import services as survey_services
from tests.assessments.helpers import make_wave
from tests.conftest import login, page_check
from tests.factories import InvitationFactory, PartnershipFactory, RoleInvitationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_person_answers_what_waits_for_them_from_their_home(page: Any, width: int) -> None:
    user = UserFactory(email="sam@kingsford.example", full_name="Sam Okafor")
    partnership = PartnershipFactory(name="Kingsford Health and Care")
    wave = make_wave(partnership, title="Partnership health check 2026")
    survey_services.wave_open(by=None, wave=wave)
    InvitationFactory(wave=wave, email=user.email, sent_at=timezone.now() - datetime.timedelta(days=3))
    RoleInvitationFactory(partnership=partnership, email=user.email, role="evaluator")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, user.email)
    page.goto("/")
    main = page.locator("main").inner_text()
    assert "Answer the survey: Partnership health check 2026" in main
    assert "Accept your invitation to be an evaluator" in main
    page_check(page, f"needs-own-home-{width}")

    page.get_by_role("link", name="Accept your invitation to be an evaluator").click()
    page.get_by_role("button", name="Accept the invitation").wait_for()
    page_check(page, f"needs-own-accept-{width}")
    page.get_by_role("button", name="Accept the invitation").click()
    page.get_by_text("you are now evaluator").wait_for()
    assert PartnershipRole.objects.filter(user=user, partnership=partnership, role="evaluator").exists()

    page.goto("/")
    page.get_by_role("link", name="Answer the survey: Partnership health check 2026").click()
    page.get_by_role("heading", name="Surveys for you to answer").wait_for()
    page_check(page, f"needs-own-surveys-{width}")
    page.get_by_role("button", name="E-mail me a new link for Partnership health check 2026").click()
    page.get_by_text("A new link is on its way to sam@kingsford.example").wait_for()
    assert [m.to for m in mail.outbox] == [["sam@kingsford.example"]]
    page_check(page, f"needs-own-surveys-sent-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_a_person_changes_their_e_mail_address_through_the_link(page: Any, width: int, password: str) -> None:
    user = UserFactory(email="sam@old.example", full_name="Sam Okafor")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, user.email)
    page.goto("/register/account/")
    page_check(page, f"account-{width}")

    page.get_by_label("New e-mail address").fill("sam@new.example")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="E-mail me a link to confirm").click()
    page.get_by_text("That is not your password").first.wait_for()
    page_check(page, f"account-error-{width}")

    page.get_by_label("New e-mail address").fill("sam@new.example")
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="E-mail me a link to confirm").click()
    page.get_by_text("We have e-mailed a link to sam@new.example").wait_for()
    assert "Waiting for you to confirm sam@new.example" in page.locator("main").inner_text()
    page_check(page, f"account-pending-{width}")

    link = re.findall(r"https?://\S+(/register/account/email/\S+/)", mail.outbox[-1].body)[0]
    page.goto(link)
    page.get_by_role("button", name="Use sam@new.example").wait_for()
    page_check(page, f"account-confirm-{width}")
    page.get_by_role("button", name="Use sam@new.example").click()
    page.get_by_text("Your e-mail address is now sam@new.example").wait_for()
    assert "You sign in as sam@new.example" in page.locator("main").inner_text()
    assert User.objects.get(pk=user.pk).email == "sam@new.example"
    assert mail.outbox[-1].to == ["sam@old.example"]  # the old address is told
    assert page.evaluate("document.documentElement.scrollWidth") <= width
