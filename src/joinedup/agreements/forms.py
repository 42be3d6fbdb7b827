"""Agreement forms. They check input; the services check the rules and do the saving."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

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
)
from joinedup.register.forms import date_field
from joinedup.register.models import Organisation, Person

NOT_STATED = [("", "Not stated")]


class AgreementForm(forms.Form):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(label="Kind of agreement", choices=AgreementKind.choices)
    section75_kind = forms.ChoiceField(
        label="Section 75 arrangement",
        choices=[("", "Not a section 75 agreement"), *Section75Kind.choices],
        required=False,
        help_text="Only for a section 75 agreement.",
    )


class FieldsForm(forms.Form):
    """The structured fields of a draft, and the lock version it was opened at."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    term = forms.ChoiceField(choices=NOT_STATED + Term.choices, required=False)
    end_date = date_field("End date", required=False, help_text="Only for an agreement with a fixed term.")
    review_interval_months = forms.IntegerField(
        label="Review interval in months", required=False, min_value=1, max_value=120
    )
    decision_rule = forms.ChoiceField(choices=NOT_STATED + DecisionRule.choices, required=False)
    chairing = forms.ChoiceField(choices=NOT_STATED + Chairing.choices, required=False)
    chair_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Partner that always chairs",
        help_text="Only when one partner always chairs.",
    )
    host_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label="Host partner"
    )
    risk_share = forms.ChoiceField(label="Risk share", choices=NOT_STATED + RiskShare.choices, required=False)

    def __init__(self, *args: Any, members: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair_organisation", "host_organisation"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = members
            field.empty_label = "Not stated"

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("lock_version")
        return data


class ClauseForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of clause", choices=[("", "Choose a kind"), *ClauseKind.choices])
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    order = forms.IntegerField(label="Order", required=False, min_value=0)
    remove = forms.BooleanField(label="Remove this clause", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove"):
            # a clause being removed need not be complete
            self.errors.clear()
        return data


class ContributionForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Partner")
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose a kind"), *ContributionKind.choices])
    amount = forms.DecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)
    unit = forms.CharField(max_length=40, required=False, help_text="For example GBP or WTE")
    period = forms.CharField(max_length=40, required=False, help_text="For example per year")
    description = forms.CharField(max_length=300, required=False)
    remove = forms.BooleanField(label="Remove this contribution", required=False)

    def __init__(
        self,
        *args: Any,
        members: QuerySet[Organisation],
        member_choices: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`member_choices` (the members read once for the whole formset) saves a query for each form."""
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members
        field.empty_label = "Choose a partner"
        if member_choices is not None:
            field.choices = [("", field.empty_label), *member_choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove"):
            self.errors.clear()
        return data


ClauseFormSet = forms.formset_factory(ClauseForm, extra=2)
ContributionFormSet = forms.formset_factory(ContributionForm, extra=2)


class CommentForm(forms.Form):
    text = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 3}))
    clause = forms.IntegerField(widget=forms.HiddenInput, required=False)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PositionForm(forms.Form):
    position = forms.ChoiceField(
        label="Your organisation's position", choices=PositionKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required if your organisation objects.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("position") == PositionKind.OBJECT and not data.get("reason", "").strip():
            self.add_error("reason", "Say why your organisation objects.")
        return data


class SignForm(forms.Form):
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ReviewForm(forms.Form):
    date = date_field("Date of the review")
    participants = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), required=False, label="People who took part"
    )
    participants_text = forms.CharField(
        label="Other participants", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = people
