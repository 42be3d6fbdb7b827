from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone


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


class EmailChange(models.Model):
    """A user's request to sign in with another e-mail address. The address changes only when the single-use link
    e-mailed to the new address is followed, before `expires_at`, by the same user (joinedup.accounts.email_change).
    The link's token is stored only as a hash; a newer request withdraws the older ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_changes")
    new_email = models.EmailField("new e-mail address")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="email_change_confirmed_or_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.new_email}"

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None and self.withdrawn_at is None and self.expires_at > timezone.now()
