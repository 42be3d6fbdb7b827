"""Indicator, measurement, import and rebase forms. They check input; the services check the rules and save
(a service's ValidationError goes back on its field with `register.forms.add_service_errors`)."""

from __future__ import annotations

import datetime
import math
from typing import Any

from django import forms

from joinedup.core.registry import record_kinds
from joinedup.outcomes.choices import (
    CLAUSE_KIND,
    DECISION_KIND,
    Direction,
    Frequency,
    IndicatorKind,
    RbaQuestion,
)
from joinedup.outcomes.periods import FORMATS, parse_period, period_code
from joinedup.register.forms import date_field
from joinedup.register.models import Organisation

MAX_FILE = 5 * 1024 * 1024


class FiniteFloatField(forms.FloatField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not math.isfinite(value):
            raise forms.ValidationError("Enter a number")


class PeriodField(forms.CharField):
    """A period written as people write it (`2025-04`, `2025/26`), cleaned to the date it starts on."""

    def __init__(self, *, frequency: str, **kwargs: Any) -> None:
        self.fixed_frequency = frequency
        kwargs.setdefault("help_text", f"Write {FORMATS[frequency]}.")
        super().__init__(max_length=20, **kwargs)

    def clean(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_period(text, self.fixed_frequency)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


def parse_trajectory(text: str, frequency: str) -> dict[datetime.date, float]:
    """Lines of "period, target" (`2025-04, 12.5`), each checked; ValidationError names the line."""
    found: dict[datetime.date, float] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        period_text, _, target_text = line.partition(",")
        try:
            period = parse_period(period_text, frequency)
            target = float(target_text.strip())
        except ValueError as exc:
            message = str(exc) if "period" in str(exc) or "date" in str(exc) else "the target is not a number"
            raise forms.ValidationError(
                f"Line {number}: {message} (write a period, a comma and the target)"
            ) from exc
        if not math.isfinite(target):
            raise forms.ValidationError(f"Line {number}: the target is not a number")
        if period in found:
            raise forms.ValidationError(f"Line {number}: {period_text.strip()} is given twice")
        found[period] = target
    return found


def trajectory_text(points: list[Any], frequency: str) -> str:
    return "\n".join(f"{period_code(p.period, frequency)}, {p.target:g}" for p in points)


class IndicatorForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label="Kind of indicator", choices=IndicatorKind.choices)
    rba_question = forms.ChoiceField(
        label="Which question it answers",
        choices=RbaQuestion.choices,
        help_text="Results-Based Accountability asks three questions of any work.",
    )
    frequency = forms.ChoiceField(label="How often it is measured", choices=Frequency.choices)
    definition = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Exactly what is counted, and for a rate its numerator and denominator.",
    )
    unit = forms.CharField(max_length=80, help_text="For example %, days, admissions per 100,000.")
    direction = forms.ChoiceField(label="Which way is better", choices=Direction.choices)
    owner = forms.ModelChoiceField(
        label="Owner organisation",
        queryset=Organisation.objects.none(),
        help_text="The member organisation that reports it.",
    )
    data_source = forms.CharField(label="Where the figures come from", max_length=300, required=False)
    publisher = forms.CharField(label="Who publishes it", max_length=200, required=False)
    baseline_value = FiniteFloatField(label="Baseline value", required=False)
    baseline_date = date_field("Date of the baseline", required=False)
    target_value = FiniteFloatField(label="Target value", required=False)
    target_date = date_field("Date the target is for", required=False)
    trajectory = forms.CharField(
        label="Trajectory",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A target for each period on its own line: the period, a comma and the target (2025-04, 12.5).",
    )
    clause_id = forms.TypedChoiceField(
        label="Aims-and-outcomes clause it serves", coerce=int, empty_value=None, required=False
    )

    def __init__(
        self, *args: Any, partnership: Any, owners: Any, frequency: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        kind = record_kinds.get(CLAUSE_KIND)
        if kind is None:
            del self.fields["clause_id"]
        else:
            options = kind.options(partnership=partnership)
            self.fields["clause_id"].choices = [("", "None")] + [(r.id, r.title) for r in options]  # type: ignore[attr-defined]
        self.fixed_frequency = frequency
        if frequency is not None:  # editing: the periods already recorded fix the frequency
            del self.fields["frequency"]
            self.fields["starts"] = PeriodField(
                frequency=frequency,
                label="The new definition applies from",
                required=False,
                help_text=(
                    "Only when you change the definition, the unit or which way is better: the first period the "
                    f"new definition covers ({FORMATS[frequency]}). The chart starts a new line there."
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        frequency = self.fixed_frequency or data.get("frequency")
        if frequency and data.get("trajectory"):
            try:
                data["trajectory_points"] = parse_trajectory(data["trajectory"], frequency)
            except forms.ValidationError as exc:
                self.add_error("trajectory", exc)
        else:
            data["trajectory_points"] = {}
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "title",
            "kind",
            "rba_question",
            "definition",
            "unit",
            "direction",
            "owner",
            "data_source",
            "publisher",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
        )
        fields = {name: data[name] for name in names}
        if self.fixed_frequency is None:
            fields["frequency"] = data["frequency"]
        if "clause_id" in self.fields:
            fields["clause_id"] = data.get("clause_id")
            fields["clause_kind"] = CLAUSE_KIND if data.get("clause_id") is not None else ""
        return fields


class MeasurementForm(forms.Form):
    value = FiniteFloatField(
        error_messages={"required": "Enter the value", "invalid": "Enter the value as a number"}
    )
    numerator = FiniteFloatField(required=False, help_text="For a rate or a share: what was counted.")
    denominator = FiniteFloatField(required=False, help_text="For a rate or a share: out of how many.")
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything a reader should know about this figure (a correction says why).",
    )

    def __init__(self, *args: Any, frequency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"period": PeriodField(frequency=frequency, label="Period"), **self.fields}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file of measurements",
        help_text="Columns period and value, and if you have them numerator, denominator and note.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE:
            raise forms.ValidationError("The file is larger than 5 MB; split it and import each part.")
        return upload


class RebaseForm(forms.Form):
    period = forms.TypedChoiceField(label="Recalculate the limits from", coerce=datetime.date.fromisoformat)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the limits are recalculated from this point"},
        help_text="What changed in the service at this point (a rebase without a reason hides real change).",
    )
    decision_id = forms.TypedChoiceField(
        label="The decision that agreed it", coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, partnership: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods  # type: ignore[attr-defined]
        kind = record_kinds.get(DECISION_KIND)
        if kind is None:
            del self.fields["decision_id"]
        else:
            options = kind.options(partnership=partnership)
            self.fields["decision_id"].choices = [("", "None")] + [(r.id, r.title) for r in options]  # type: ignore[attr-defined]
