"""Assessment results, computed once per change of a wave's submitted answers and served from here."""

from __future__ import annotations

from django.db import models


class WaveResult(models.Model):
    """The scored results of one assessment wave: what every results page, CSV download and API call shows.

    Recomputed after each submit or import (never per page view), so a page for a large wave stays fast.
    Suppression is applied when computing, so nothing stored here can reveal a group below the wave's k.
    """

    wave = models.OneToOneField("surveys.Wave", on_delete=models.CASCADE, related_name="result")
    respondents = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, help_text="The ScoreReport (whole wave, breakdowns and gaps).")
    items = models.JSONField(default=dict, help_text="Item key -> answer counts (scale values and dk).")
    comments = models.JSONField(default=list, help_text="Comments safe to show (small groups removed).")
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Results of {self.wave}"
