from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from joinedup.accounts.choices import RoleKind


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

    def __str__(self) -> str:
        return self.full_name or self.email


class PartnershipRole(models.Model):
    """What a user may do in one partnership. A representative speaks for one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="partnership_roles")
    partnership = models.ForeignKey("register.Partnership", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=RoleKind.choices)
    organisation = models.ForeignKey(
        "register.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_signatory = models.BooleanField(default=False, help_text="May sign agreements for the organisation.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "role"], name="role_unique_per_partnership"
            ),
            models.CheckConstraint(
                condition=Q(role=RoleKind.REPRESENTATIVE, organisation__isnull=False)
                | (~Q(role=RoleKind.REPRESENTATIVE) & Q(organisation__isnull=True)),
                name="role_representative_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(is_signatory=False) | Q(role=RoleKind.REPRESENTATIVE),
                name="role_only_representatives_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.partnership_id}"
