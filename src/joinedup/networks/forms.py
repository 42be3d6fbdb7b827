"""Forms of the relationship survey and of the network pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from joinedup.analysis.network_map import SIZE_MEASURES
from joinedup.networks.choices import (
    AGREEMENT_SCALE,
    EXCHANGE_SHORT,
    TRUST_QUESTIONS,
    VALUE_QUESTIONS,
    Exchange,
    Frequency,
    Level,
)
from joinedup.register.models import Organisation

_REQUIRED = "Choose an answer."


def _org_choices(organisations: Sequence[Organisation]) -> list[tuple[str, str]]:
    return [(str(org.pk), org.name) for org in organisations]


class OrganisationForm(forms.Form):
    """For people answering by a wave's open link: which organisation do they answer for?"""

    organisation = forms.ChoiceField(label="Which organisation are you answering for?")

    def __init__(self, *args: Any, organisations: Sequence[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose an organisation"), *_org_choices(organisations)]
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]


class ChooseForm(forms.Form):
    organisations = forms.MultipleChoiceField(
        label="Which of these organisations does your organisation work with?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Leave them all unticked if you do not work with any of them.",
    )
    other = forms.ChoiceField(
        label="Add another organisation you work with",
        required=False,
        help_text="Any organisation in the register, whether or not it belongs to this partnership.",
    )

    def __init__(
        self,
        *args: Any,
        listed: Sequence[Organisation],
        others: Sequence[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = _org_choices(listed)  # type: ignore[attr-defined]
        other_choices = [("", "Choose an organisation"), *_org_choices(others)]
        self.fields["other"].choices = other_choices  # type: ignore[attr-defined]


class TieForm(forms.Form):
    frequency = forms.TypedChoiceField(
        label="How often do your two organisations work together?",
        choices=Frequency.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _REQUIRED},
    )
    exchanges = forms.MultipleChoiceField(
        label="What do you do together?",
        choices=Exchange.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    level = forms.TypedChoiceField(
        label="Which best describes how closely you work together?",
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _REQUIRED},
    )

    def __init__(self, *args: Any, organisation_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field, question in (*TRUST_QUESTIONS, *VALUE_QUESTIONS):
            self.fields[field] = forms.TypedChoiceField(
                label=question.format(org=organisation_name),
                choices=AGREEMENT_SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _REQUIRED},
            )

    def trust_fields(self) -> list[forms.BoundField]:
        return [self[field] for field, _ in TRUST_QUESTIONS]

    def value_fields(self) -> list[forms.BoundField]:
        return [self[field] for field, _ in VALUE_QUESTIONS]


class NetworkFilterForm(forms.Form):
    exchange = forms.ChoiceField(
        label="Kind of exchange",
        required=False,
        choices=[("", "Any kind"), *[(key.value, label) for key, label in EXCHANGE_SHORT.items()]],
    )
    min_frequency = forms.TypedChoiceField(
        label="Working together at least",
        required=False,
        coerce=int,
        empty_value=0,  # type: ignore[arg-type]
        choices=[
            ("0", "Any tie named (including never)"),
            *[(str(v), label) for v, label in Frequency.choices if v],
        ],
    )
    size_by = forms.ChoiceField(
        label="Size of the points on the map", required=False, choices=SIZE_MEASURES.items()
    )

    def filters(self) -> tuple[str, int, str]:
        """(exchange, minimum frequency, size measure); the defaults when the form is not valid."""
        if not self.is_valid():
            return "", 0, "degree"
        data = self.cleaned_data
        return data["exchange"] or "", data["min_frequency"] or 0, data["size_by"] or "degree"
