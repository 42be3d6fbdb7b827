"""A person's name is the one they gave: accepting an invitation sets `full_name`, and every page that says who
did something (who signed, proposed, commented) reads it through get_full_name."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_name_a_person_gave_is_their_name() -> None:
    user = UserFactory(first_name="", last_name="", full_name="Dana Okafor")
    assert user.get_full_name() == "Dana Okafor" and str(user) == "Dana Okafor"


def test_first_and_last_name_serve_only_where_no_full_name_was_given() -> None:
    assert UserFactory(first_name="Sam", last_name="Lee", full_name="").get_full_name() == "Sam Lee"
    assert (
        UserFactory(first_name="Sam", last_name="Lee", full_name="Samira Lee").get_full_name() == "Samira Lee"
    )
    nameless = UserFactory(first_name="", last_name="", full_name="  ")
    assert nameless.get_full_name() == "" and str(nameless) == nameless.email
