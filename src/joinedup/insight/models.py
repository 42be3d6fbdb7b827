"""The latest warning flags of each partnership, and the thresholds a partnership has tuned for itself.

A `FlagSet` is derived data: the background job (`jobs.py`) replaces it after each write that affects the
partnership, and the pages only read it. It keeps the snapshot the flags were computed from (plain JSON,
figures already through disclosure control), so the health page shows the same numbers the flags rest on."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FlagSet(models.Model):
    partnership = models.OneToOneField(
        "register.Partnership", on_delete=models.CASCADE, related_name="flag_set"
    )
    computed_at = models.DateTimeField()
    settings_version = models.PositiveIntegerField(help_text="The version of the shipped flag texts used.")
    flags = models.JSONField(
        default=list, blank=True, help_text="Flag.as_dict() of each flag, most severe first."
    )
    snapshot = models.JSONField(default=dict, blank=True, help_text="The facts the flags were computed from.")
    health = models.JSONField(
        default=dict, blank=True, help_text="What the health page shows beside the flags."
    )
    ladder = models.JSONField(
        default=dict, blank=True, help_text="The integration ladder: position and journey."
    )

    def __str__(self) -> str:
        return f"Flags of {self.partnership_id} at {self.computed_at:%Y-%m-%d %H:%M}"


class FlagThresholds(models.Model):
    """A partnership's own thresholds (a subset of flags.yaml's), checked against the same schema."""

    partnership = models.OneToOneField(
        "register.Partnership", on_delete=models.CASCADE, related_name="flag_thresholds"
    )
    values = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "flag thresholds"

    def __str__(self) -> str:
        return f"Flag thresholds of {self.partnership_id}"
