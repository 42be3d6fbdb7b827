"""Relationship survey answers: one row per organisation a respondent says it works with.

A row is created as soon as the respondent picks the organisation; its ratings stay empty (NULL) until they
answer the questions about it, and the survey cannot be sent while any row is incomplete. Only rows of
submitted responses count in the analysis.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from joinedup.networks.choices import RATING_FIELDS

_ONE_TO_FOUR = ("trust_reliability", "trust_mission", "trust_openness", "value_power", "value_involvement")


def _range(field: str, low: int, high: int) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=f"tierating_{field}_{low}_{high}",
    )


class TieRating(models.Model):
    response = models.ForeignKey("surveys.Response", on_delete=models.CASCADE, related_name="tie_ratings")
    target = models.ForeignKey("register.Organisation", on_delete=models.PROTECT, related_name="+")
    frequency = models.PositiveSmallIntegerField(null=True, blank=True)
    exchanges = models.JSONField(default=list, blank=True, help_text="Keys of networks.choices.Exchange.")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    trust_reliability = models.PositiveSmallIntegerField(null=True, blank=True)
    trust_mission = models.PositiveSmallIntegerField(null=True, blank=True)
    trust_openness = models.PositiveSmallIntegerField(null=True, blank=True)
    value_power = models.PositiveSmallIntegerField(null=True, blank=True)
    value_involvement = models.PositiveSmallIntegerField(null=True, blank=True)
    value_resources = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(
        auto_now=True, null=True, blank=True, help_text="Emptied when an anonymous wave's answers are sent."
    )

    class Meta:
        ordering = ["response_id", "target__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "target"], name="tierating_one_per_target"),
            _range("frequency", 0, 5),
            _range("level", 0, 5),
            *[_range(field, 1, 4) for field in (*_ONE_TO_FOUR, "value_resources")],
        ]

    def __str__(self) -> str:
        return f"Response {self.response_id} → {self.target_id}"

    @property
    def is_complete(self) -> bool:
        return all(getattr(self, field) is not None for field in RATING_FIELDS)
