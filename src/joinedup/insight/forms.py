"""The thresholds form: one number field per threshold of the shipped flags, labelled in plain words."""

from __future__ import annotations

from typing import Any

from django import forms

LABELS = {
    "proposal_wait_days": "Days a proposal may wait for signatures",
    "contribution_share": "One partner's share of contributions that, with a fixed chair or casting vote, is an imbalance (0 to 1)",
    "trust_low_share": "Trust below this share of its scale is low (0 to 1)",
    "fading_absences": "Absences that make attendance fading ...",
    "fading_window": "... out of this many latest meetings",
    "inquorate_months": "Months to look back for inquorate decisions",
    "indicators_per_partner": "Indicators per partner above which measurement may be a burden",
    "missing_periods": "Periods in a row without data that count as missing",
    "pace_events": "Reorganisations or leader changes that make a lot of change ...",
    "pace_months": "... within this many months",
    "representative_turnover": "Changes of representative, as a share of seats, that count as high turnover (0 to 1)",
    "voice_months": "Months without feedback (and no expert-by-experience member) before it is flagged",
    "dispute_days": "Days a dispute may stay open",
    "overload_partnerships": "Partnerships of the same place above which a person or organisation is overloaded",
}


class ThresholdsForm(forms.Form):
    def __init__(self, *args: Any, current: dict[str, float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, value in current.items():
            self.fields[name] = forms.FloatField(
                label=LABELS.get(name, name.replace("_", " ")), initial=value, min_value=0
            )
            self.fields[name].widget.attrs["class"] = "nhsuk-input nhsuk-input--width-5"
