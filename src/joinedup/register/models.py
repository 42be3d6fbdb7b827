"""The register: organisations, people, partnerships, memberships and their timeline."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from joinedup.core.choices import RoleKind
from joinedup.register.choices import (
    EventKind,
    MembershipRole,
    PartnershipKind,
    PartnershipStatus,
    Profession,
    Sector,
)

# Identifier fields of an organisation; each is unique when present.
IDENTIFIER_FIELDS = ("ods_code", "charity_number", "company_number", "org_id")


class Organisation(models.Model):
    name = models.CharField(max_length=300)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    org_type = models.CharField("organisation type", max_length=120, blank=True)
    ods_code = models.CharField("ODS code", max_length=12, blank=True)
    charity_number = models.CharField("charity number", max_length=12, blank=True)
    company_number = models.CharField("Companies House number", max_length=10, blank=True)
    gss_code = models.CharField("ONS GSS code", max_length=9, blank=True)
    cqc_provider_id = models.CharField("CQC provider id", max_length=20, blank=True)
    cqc_location_id = models.CharField("CQC location id", max_length=20, blank=True)
    org_id = models.CharField("org-id key", max_length=60, blank=True, help_text="For example GB-NHS-RXX")
    area = models.CharField(max_length=120, blank=True, db_index=True)
    address = models.CharField(max_length=400, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    opened = models.DateField(null=True, blank=True)
    closed = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            *[
                models.UniqueConstraint(fields=[f], condition=~Q(**{f: ""}), name=f"organisation_unique_{f}")
                for f in IDENTIFIER_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | Q(opened__isnull=True) | Q(closed__gte=F("opened")),
                name="organisation_closed_after_opened",
            ),
        ]
        indexes = [models.Index(fields=["sector"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("register:organisation_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed is None or self.closed > datetime.date.today()


class Person(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    profession = models.CharField(max_length=30, choices=Profession.choices, default=Profession.OTHER)
    profession_other = models.CharField("profession, if other", max_length=120, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    organisations = models.ManyToManyField(Organisation, through="Affiliation", related_name="people")

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("register:person_detail", args=[self.pk])

    @property
    def profession_label(self) -> str:
        if self.profession == Profession.OTHER and self.profession_other:
            return self.profession_other
        return self.get_profession_display()


class Affiliation(models.Model):
    """A person's tie to an organisation over time (employment, secondment, volunteering)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="affiliations")
    job_title = models.CharField(max_length=200, blank=True)
    started = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(started__isnull=True) | Q(ended__gte=F("started")),
                name="affiliation_ended_after_started",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.organisation}"


class Partnership(models.Model):
    name = models.CharField(max_length=300)
    purpose = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=PartnershipKind.choices)
    status = models.CharField(
        max_length=12, choices=PartnershipStatus.choices, default=PartnershipStatus.FORMING
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    area = models.CharField(max_length=120, blank=True, db_index=True)
    started = models.DateField()
    ended = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=F("started")),
                name="partnership_ended_after_started",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="partnership_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("register:partnership_detail", args=[self.pk])


class Membership(models.Model):
    """An organisation's place in a partnership, from `joined` until `left` (empty while current)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=24, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    joined = models.DateField()
    left = models.DateField(null=True, blank=True)
    representatives = models.ManyToManyField(Person, blank=True, related_name="representing")

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=F("joined")), name="membership_left_after_joined"
            ),
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(left__isnull=True),
                name="membership_one_current_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"

    @property
    def is_current(self) -> bool:
        return self.left is None


class TimelineEvent(models.Model):
    """Something that happened to a partnership or an organisation (or both)."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    date = models.DateField(db_index=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=False) | Q(organisation__isnull=False),
                name="event_about_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"


class PartnershipRole(models.Model):
    """What a user may do in one partnership. A representative speaks for one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_roles"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=RoleKind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
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


class RoleInvitation(models.Model):
    """An invitation to hold a role in a partnership, sent by e-mail with a single-use link that expires.

    The link's token is stored only as a hash. Accepting it (once, before `expires_at`, unless withdrawn) creates
    the person's account if they have none and grants the role (`register.invitations`).
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="role_invitations")
    email = models.EmailField("e-mail address")
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=RoleKind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_signatory = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role=RoleKind.REPRESENTATIVE, organisation__isnull=False)
                | (~Q(role=RoleKind.REPRESENTATIVE) & Q(organisation__isnull=True)),
                name="role_invitation_representative_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(is_signatory=False) | Q(role=RoleKind.REPRESENTATIVE),
                name="role_invitation_only_representatives_sign",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="role_invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.partnership_id}"

    @property
    def pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class AccessToken(models.Model):
    """A personal access token for the API (`joinedup.register.tokens`): shown once, stored as a SHA-256 digest,
    for some of its owner's partnerships, read-only or read-write, until it expires or is revoked. `lookup` is
    the start of the secret, to find the row without comparing every digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100)
    lookup = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    partnerships = models.ManyToManyField(Partnership, related_name="+")
    can_write = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="token_expires_after_made"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (jup_{self.lookup}…)"

    def audit_chain(self) -> str:
        """Its uses (one audit event each) are a chain of their own (core.audit.chain_of)."""
        return f"token:{self.pk}"
