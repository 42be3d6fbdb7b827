"""Agreements of a partnership: versions made of clauses, negotiated, signed by hash and reviewed.

A version is a draft while it is edited (optimistic locking on `lock_version`), then proposed (immutable,
with a SHA-256 `content_hash` of its canonical form), then in force once every current member organisation
has signed that hash, and superseded when the next version comes into force. The database holds the
paired-field and "one version in force" invariants.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from joinedup.agreements.choices import (
    AgreementKind,
    Chairing,
    ClauseKind,
    ContributionKind,
    DecisionRule,
    PositionKind,
    ReviewOutcome,
    RiskShare,
    Section75Kind,
    Term,
    VersionStatus,
)
from joinedup.agreements.integrity import frozen_guard, frozen_version_guard, protect_signed

S = VersionStatus
# Statuses in which a version has been proposed (and so is immutable and carries its hash).
PROPOSED_OR_LATER = [S.PROPOSED, S.WITHDRAWN, S.IN_FORCE, S.SUPERSEDED]
HAS_BEEN_IN_FORCE = [S.IN_FORCE, S.SUPERSEDED]


class Agreement(models.Model):
    partnership = models.ForeignKey(
        "register.Partnership", on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(max_length=24, choices=AgreementKind.choices)
    section75_kind = models.CharField(
        "section 75 arrangement", max_length=24, choices=Section75Kind.choices, blank=True
    )
    title = models.CharField(max_length=300)
    ended = models.DateField(null=True, blank=True, help_text="Set when a review ends the agreement.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AgreementKind.SECTION_75) | Q(section75_kind=""),
                name="agreement_s75_kind_only_for_s75",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=protect_signed, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=S.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived"
    )
    # structured fields the "contract or partnership?" reading uses ("" = not stated)
    term = models.CharField(max_length=12, choices=Term.choices, blank=True)
    end_date = models.DateField(null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(null=True, blank=True)
    decision_rule = models.CharField(max_length=30, choices=DecisionRule.choices, blank=True)
    chairing = models.CharField(max_length=16, choices=Chairing.choices, blank=True)
    chair_organisation = models.ForeignKey(
        "register.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    host_organisation = models.ForeignKey(
        "register.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk_share = models.CharField(max_length=16, choices=RiskShare.choices, blank=True)
    # negotiation state
    lock_version = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    hash_organisation_ids = models.JSONField(  # nullable, so SQLite adds the column without remaking the table
        null=True,
        blank=True,
        help_text="For a version imported from another installation (joinedup import): each organisation's id "
        "here -> the id its content hash was computed with there. Empty (null) for versions made here.",
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_force_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(status=S.IN_FORCE), name="version_one_in_force"
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status__in=[S.DRAFT, S.PROPOSED]),
                name="version_one_open_change",
            ),
            models.CheckConstraint(
                condition=(Q(status=S.DRAFT) & Q(content_hash="") & Q(proposed_at__isnull=True))
                | (Q(status__in=PROPOSED_OR_LATER) & ~Q(content_hash="") & Q(proposed_at__isnull=False)),
                name="version_hash_iff_proposed",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=HAS_BEEN_IN_FORCE) & Q(in_force_at__isnull=False))
                | (~Q(status__in=HAS_BEEN_IN_FORCE) & Q(in_force_at__isnull=True)),
                name="version_in_force_at_iff_in_force",
            ),
            models.CheckConstraint(
                condition=(Q(status=S.SUPERSEDED) & Q(superseded_at__isnull=False))
                | (~Q(status=S.SUPERSEDED) & Q(superseded_at__isnull=True)),
                name="version_superseded_at_iff_superseded",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(term=Term.FIXED_END),
                name="version_end_date_fixed_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} – version {self.number}"

    # The guards below only refuse what the database's triggers refuse too (see agreements.integrity), with a
    # plain message; they hold no domain logic.
    def save(self, *args: Any, **kwargs: Any) -> None:
        frozen_version_guard(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        frozen_guard(version_id=self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == S.DRAFT


class _PartOfVersion(models.Model):
    """A row of a version's content: it changes only while the version is a draft."""

    version_id: int | None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored: Any = type(self)._default_manager.filter(pk=self.pk)
            frozen_guard(version_id=stored.values_list("version_id", flat=True).first())
        frozen_guard(version_id=self.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        frozen_guard(version_id=self.version_id)
        return super().delete(*args, **kwargs)


class Clause(_PartOfVersion):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="clauses")
    kind = models.CharField(max_length=24, choices=ClauseKind.choices)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta(_PartOfVersion.Meta):
        ordering = ["version_id", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="clause_order_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.order})"


class Contribution(_PartOfVersion):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey("register.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=ContributionKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True, help_text="For example GBP, WTE, square metres")
    period = models.CharField(max_length=40, blank=True, help_text="For example per year")
    description = models.CharField(max_length=300, blank=True)

    class Meta(_PartOfVersion.Meta):
        ordering = ["version_id", "organisation__name", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"


class Comment(models.Model):
    """A comment on a version, on one clause or the whole, threaded by `parent`."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="comments")
    clause = models.ForeignKey(
        Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "register.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.version}"


class Position(models.Model):
    """One organisation's current position on a version; recording again replaces it."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="positions")
    organisation = models.ForeignKey("register.Organisation", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=8, choices=PositionKind.choices)
    reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "organisation"], name="position_one_per_organisation"),
            models.CheckConstraint(
                condition=~Q(position=PositionKind.OBJECT) | ~Q(reason=""),
                name="position_objection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_position_display()}"


class Signature(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey("register.Organisation", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "organisation"], name="signature_one_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} signed {self.version}"


class AgreementReview(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    date = models.DateField()
    participants = models.ManyToManyField("register.Person", blank=True, related_name="+")
    participants_text = models.TextField("other participants", blank=True)
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    notes = models.TextField(blank=True)
    draft = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="opened_by_review"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.agreement} on {self.date}"
