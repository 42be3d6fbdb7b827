"""A coordinator invites a representative who may sign; the representative opens the e-mail's link, makes an
account and lands in the partnership; the coordinator sees the role. Real Chromium, axe at 1280 and 375 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from tests.conftest import grant, login
from tests.conftest import page_check as check
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_coordinator_invites_a_signatory_who_accepts(page: Any, width: int, tmp_path: Any) -> None:
    demo_mail = override_settings(
        DEMO=True,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    )
    with demo_mail:  # as in the demo: e-mails go to files, read in the demo mailbox
        journey(page, width)


def journey(page: Any, width: int) -> None:
    partnership = PartnershipFactory(name="Kingsford Health and Care")
    council = OrganisationFactory(name="Kingsford Borough Council")
    MembershipFactory(partnership=partnership, organisation=council)
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, coordinator.email)

    page.goto(partnership.get_absolute_url())
    page.get_by_role("link", name="People and roles").click()
    check(page, f"roles-{width}")
    page.get_by_label("E-mail address").fill("amira.haddad@kingsford.example")
    page.get_by_label("Their name").fill("Amira Haddad")
    page.get_by_label("Role").select_option(label="Partner representative")
    page.get_by_label("Organisation they represent").select_option(label="Kingsford Borough Council")
    page.get_by_label("May sign agreements for this organisation").check()
    page.get_by_role("button", name="Send invitation").click()
    assert "works for Kingsford Borough Council" in page.locator("main").inner_text()  # not affiliated yet
    check(page, f"roles-error-{width}")
    page.get_by_label("Record that they work for this organisation").check()
    page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to amira.haddad@kingsford.example" in page.locator("main").inner_text()
    check(page, f"roles-sent-{width}")

    page.context.clear_cookies()
    page.goto("/demo/mail/")
    check(page, f"mailbox-{width}")
    page.get_by_role("link", name="You are invited to Kingsford Health and Care on JoinedUp").click()
    check(page, f"mail-{width}")
    page.locator("main a[href*='/register/invitation/']").click()
    check(page, f"accept-{width}")
    link = page.url
    page.get_by_label("Choose a password").fill("kettle-orchard-pebble-41")
    page.get_by_label("The same password again").fill("kettle-orchard-pebble-41")
    page.get_by_role("button", name="Make my account and accept").click()
    page.wait_for_url(f"**{partnership.get_absolute_url()}")
    assert "you are now partner representative" in page.locator("main").inner_text()
    check(page, f"accepted-{width}")
    page.locator("header a[href='/register/account/']").click()
    assert "for Kingsford Borough Council, may sign agreements" in page.locator("main").inner_text()
    check(page, f"account-{width}")

    page.goto(link)
    assert "already been accepted" in page.locator("main").inner_text()
    page.context.clear_cookies()
    login(page, coordinator.email)
    page.goto(f"/register/partnerships/{partnership.pk}/people/")
    row = page.locator("tr", has_text="amira.haddad@kingsford.example")
    assert "for Kingsford Borough Council, may sign agreements" in row.inner_text()
