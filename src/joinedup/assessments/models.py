"""Assessment results, released in batches (DESIGN.md §6) and served from here."""

from __future__ import annotations

from django.db import models


class WaveResult(models.Model):
    """The wave's latest release: what every results page, chart, CSV download and API call shows.

    Made by `services.wave_results_compute` when a release is due (never per page view or per submission), with
    disclosure control applied to it together with every earlier release, so nothing stored here can reveal a
    set of fewer than the wave's k people. Its history is in `WaveRelease`.
    """

    wave = models.OneToOneField("surveys.Wave", on_delete=models.CASCADE, related_name="result")
    respondents = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, help_text="The ScoreReport (whole wave, breakdowns and gaps).")
    items = models.JSONField(default=dict, help_text="Item key -> answer counts (scale values and dk).")
    comments = models.JSONField(
        default=list, help_text="Comments safe to show: their groups shown, shuffled, no times."
    )
    computed_at = models.DateTimeField(auto_now=True)
    release = models.PositiveIntegerField(default=0, help_text="The number of the release shown (1, 2, ...).")
    released_at = models.DateTimeField(null=True, blank=True)
    final = models.BooleanField(default=False, help_text="The wave has closed and this release is its last.")

    def __str__(self) -> str:
        return f"Results of {self.wave}"


class WaveRelease(models.Model):
    """One release of a wave's results: who it counted and what it showed, so the next release is checked
    together with it (a release can never be taken back). No answers are kept here."""

    wave = models.ForeignKey("surveys.Wave", on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField()
    released_at = models.DateTimeField()
    respondents = models.PositiveIntegerField()
    response_ids = models.JSONField(default=list, help_text="The submitted responses this release counted.")
    shown = models.JSONField(
        default=dict, help_text="disclosure.Shown: the groups, cells and statements shown."
    )

    class Meta:
        ordering = ["wave", "number"]
        constraints = [models.UniqueConstraint(fields=["wave", "number"], name="wave_release_number_unique")]

    def __str__(self) -> str:
        return f"Release {self.number} of {self.wave}"
