"""A person manages their own account: name and password, and sees every role they hold."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import grant
from tests.factories import PASSWORD, OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_sees_their_roles_and_changes_their_name_and_password(client: Any) -> None:
    user = UserFactory(full_name="Sam Okafor")
    mine = PartnershipFactory(name="Kingsford Health and Care")
    council = OrganisationFactory(name="Kingsford Borough Council")
    grant(user, mine, "representative", organisation=council, is_signatory=True)
    grant(UserFactory(), PartnershipFactory(name="Someone Else's Board"), "coordinator")
    client.force_login(user)

    page = client.get(reverse("register:account")).content.decode()
    assert (
        "Kingsford Health and Care</a>: partner representative for Kingsford Borough Council, may sign"
        in page
    )
    assert "Someone Else" not in page
    assert reverse("register:account") in client.get("/").content.decode()  # the header links here

    client.post(reverse("register:account"), {"full_name": "  Samuel Okafor "})
    assert get_user_model().objects.get(pk=user.pk).full_name == "Samuel Okafor"
    empty = client.post(reverse("register:account"), {"full_name": ""})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()

    change = reverse("accounts:password_change")
    wrong = client.post(change, {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert wrong.status_code == 200
    assert get_user_model().objects.get(pk=user.pk).check_password(PASSWORD)
    new = "kettle-orchard-pebble-41"
    done = client.post(
        change, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}, follow=True
    )
    assert "Your password is changed" in done.content.decode()
    assert get_user_model().objects.get(pk=user.pk).check_password(new)
    assert client.get(reverse("register:account")).status_code == 200  # still signed in


def test_signed_out_the_account_page_asks_to_sign_in(client: Any) -> None:
    response = client.get(reverse("register:account"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
