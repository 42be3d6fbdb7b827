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
    """The organisations a respondent works with: the partnership's members (and any added before) as
    checkboxes, plus organisations found by searching the register (`q`), ticked as `add`."""

    organisations = forms.MultipleChoiceField(
        label="Which of these organisations does your organisation work with?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Leave them all unticked if you do not work with any of them.",
    )
    q = forms.CharField(
        label="Find another organisation you work with",
        required=False,
        max_length=100,
        help_text=(
            "Any organisation in the register, whether or not it belongs to this partnership. "
            "Type part of its name, its postcode or a code such as its ODS code."
        ),
    )
    add = forms.ModelMultipleChoiceField(
        label="Organisations found",
        queryset=Organisation.objects.none(),
        required=False,
        # drawn by the template from the search results; errors link to the search box
        widget=forms.MultipleHiddenInput(attrs={"id": "id_q"}),
        error_messages={"invalid_choice": "One of the organisations found is no longer in the register."},
    )

    def __init__(
        self, *args: Any, listed: Sequence[Organisation], organisation: Organisation, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = _org_choices(listed)  # type: ignore[attr-defined]
        self.fields["add"].queryset = Organisation.objects.exclude(pk=organisation.pk)  # type: ignore[attr-defined]

    def chosen_ids(self) -> set[int]:
        """Every organisation ticked, in the list or among the search results (after is_valid)."""
        data = self.cleaned_data
        return {int(pk) for pk in data["organisations"]} | {org.pk for org in data["add"]}


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


class NetworkFileForm(forms.Form):
    """An evaluator's files, in the format of `joinedup network analyse`."""

    ties = forms.FileField(
        label="Ties file",
        help_text=(
            "A CSV (or Parquet) file with a row for each tie: columns source and target (the organisations' ids), "
            "and any of trust_reliability, trust_mission, trust_openness, value_power, value_involvement and "
            "value_resources (1 to 4), frequency and level (0 to 5)."
        ),
        error_messages={"required": "Choose the ties file."},
    )
    nodes = forms.FileField(
        label="Organisations file",
        required=False,
        help_text=(
            "Optional. A row for each organisation: column id, and any of name, sector and responded (yes or no: "
            "did it answer the survey?). Organisations that no tie names are counted as isolates."
        ),
    )
