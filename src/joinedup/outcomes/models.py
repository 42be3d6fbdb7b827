"""Indicators, the versions of their definitions, their measurements (every revision kept), trajectories and
rebases.

- An `Indicator` belongs to a partnership and is owned by one of its member organisations. What its figures mean
  (definition, unit, improvement direction) lives in `IndicatorVersion`s: changing any of them starts a new
  version from a given period, and the chart starts a new group there.
- A `Measurement` is one figure for one period. Correcting it adds a revision; the latest revision is current
  (`is_current`, one per period, held by the database) and the earlier ones are kept as history.
- A `TrajectoryPoint` is the target for one period; a `Rebase` starts a new group of the chart at a period, for a
  reason, optionally citing the governance decision that agreed it (stored as a record_kinds key and id).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from joinedup.outcomes.choices import Direction, Frequency, IndicatorKind, RbaQuestion


class Indicator(models.Model):
    partnership = models.ForeignKey(
        "register.Partnership", on_delete=models.CASCADE, related_name="indicators"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=IndicatorKind.choices)
    rba_question = models.CharField("RBA question", max_length=12, choices=RbaQuestion.choices)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    owner = models.ForeignKey("register.Organisation", on_delete=models.PROTECT, related_name="+")
    data_source = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    clause_kind = models.CharField(max_length=40, blank=True, help_text="A record_kinds key, or empty.")
    clause_id = models.PositiveIntegerField(null=True, blank=True)
    catalogue_key = models.CharField(max_length=80, blank=True)
    catalogue_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(clause_kind="") & Q(clause_id__isnull=True))
                | (~Q(clause_kind="") & Q(clause_id__isnull=False)),
                name="indicator_clause_kind_and_id",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_date__isnull=False),
                name="indicator_baseline_has_date",
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_date__isnull=False),
                name="indicator_target_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:indicator", args=[self.pk])


class IndicatorVersion(models.Model):
    """What the indicator's figures mean, from `starts` (the first period it covers; None for the first)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.TextField()
    unit = models.CharField(max_length=80)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    starts = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["indicator_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "number"], name="indicatorversion_number_unique"),
            models.UniqueConstraint(fields=["indicator", "starts"], name="indicatorversion_starts_unique"),
            models.CheckConstraint(
                condition=(Q(number=1) & Q(starts__isnull=True))
                | (Q(number__gt=1) & Q(starts__isnull=False)),
                name="indicatorversion_later_ones_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – definition {self.number}"


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period = models.DateField(help_text="The first day of the period.")
    revision = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    value = models.FloatField()
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator_id", "period", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "revision"], name="measurement_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"], condition=Q(is_current=True), name="measurement_one_current"
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | ~Q(denominator=0),
                name="measurement_denominator_not_0",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "is_current", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value} (revision {self.revision})"


class TrajectoryPoint(models.Model):
    """The target for one period (a trajectory is the indicator's targets period by period)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="trajectory")
    period = models.DateField()
    target = models.FloatField()

    class Meta:
        ordering = ["indicator_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="trajectory_one_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.target}"


class Rebase(models.Model):
    """The chart starts a new group (new mean and limits) at `period`, for `reason`."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="rebases")
    period = models.DateField()
    reason = models.TextField()
    decision_kind = models.CharField(max_length=40, blank=True)
    decision_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["indicator_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="rebase_one_per_period"),
            models.CheckConstraint(condition=~Q(reason=""), name="rebase_has_reason"),
            models.CheckConstraint(
                condition=(Q(decision_kind="") & Q(decision_id__isnull=True))
                | (~Q(decision_kind="") & Q(decision_id__isnull=False)),
                name="rebase_decision_kind_and_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} rebased from {self.period}"
