from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class EmailUserManager(UserManager["User"]):
    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("username", email.lower())
        return super().create_user(email=email.lower(), password=password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("username", email.lower())
        return super().create_superuser(email=email.lower(), password=password, **extra)


class User(AbstractUser):
    """A person who logs in. Logs in with e-mail; `username` mirrors the e-mail for Django's admin."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = EmailUserManager()  # type: ignore[misc]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.lower()
        self.username = self.email
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        """The name people chose for themselves (`full_name`, set when they accept an invitation or on their
        account page); Django's first and last name only where there is none."""
        return self.full_name.strip() or super().get_full_name()

    def __str__(self) -> str:
        return self.get_full_name() or self.email
