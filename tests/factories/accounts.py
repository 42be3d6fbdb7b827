"""Factories for the accounts app: users (who log in with PASSWORD)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from joinedup.accounts.models import EmailChange, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class EmailChangeFactory(DjangoModelFactory):
    """A pending request to change a user's e-mail address (its token is unknown: tests that follow the link make
    one with `joinedup.accounts.email_change.email_change_request`)."""

    class Meta:
        model = EmailChange

    user = factory.SubFactory(UserFactory)
    new_email = factory.Sequence(lambda n: f"new{n}@example.org")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=24))
