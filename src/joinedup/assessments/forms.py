"""Forms for answering an assessment: about you, then one page per dimension."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.analysis.instruments import Dimension, Scale
from joinedup.register.choices import Profession
from joinedup.register.models import Organisation
from joinedup.surveys.choices import RoleLevel

DONT_KNOW = "dk"
COMMENT_FIELD = "comment"


class AboutYouForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which organisation do you work for or represent?",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Choose an organisation (or leave blank)",
    )
    profession = forms.ChoiceField(
        label="What is your profession or role?",
        choices=[("", "Choose one (or leave blank)"), *Profession.choices],
        required=False,
    )
    role_level = forms.ChoiceField(
        label="What is your level in your organisation?",
        choices=[("", "Choose one (or leave blank)"), *RoleLevel.choices],
        required=False,
    )
    respondent_name = forms.CharField(label="Your name", max_length=200, required=False)

    def __init__(
        self, *args: Any, organisations: Any, ask_organisation: bool, named: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if ask_organisation:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisations
        else:
            del self.fields["organisation"]
        if named:
            self.fields["respondent_name"].required = True
            self.fields["respondent_name"].help_text = "Your answers are shown with your name in this survey."
        else:
            del self.fields["respondent_name"]


class DimensionForm(forms.Form):
    """One radio group per item (the scale's labels, then "Don't know"), and a comments box.
    Values outside the instrument's scale are refused by the choice fields."""

    def __init__(self, *args: Any, dimension: Dimension, scale: Scale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(scale.min + i), label) for i, label in enumerate(scale.labels)]
        if scale.dont_know:
            choices.append((DONT_KNOW, "Don't know"))
        for item in dimension.items:
            self.fields[item.key] = forms.ChoiceField(
                label=item.text, choices=choices, required=False, widget=forms.RadioSelect
            )
        self.fields[COMMENT_FIELD] = forms.CharField(
            label="Anything you would like to add about this?",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.item_keys = dimension.item_keys

    def item_fields(self) -> list[Any]:
        return [self[key] for key in self.item_keys]

    def answers(self) -> dict[str, int | str | None]:
        out: dict[str, int | str | None] = {}
        for key in self.item_keys:
            value = self.cleaned_data.get(key) or None
            out[key] = value if value in (None, DONT_KNOW) else int(value)
        return out


def initial_for(answers: dict[str, Any], comments: dict[str, str], dimension: Dimension) -> dict[str, Any]:
    initial: dict[str, Any] = {k: str(answers[k]) for k in dimension.item_keys if k in answers}
    initial[COMMENT_FIELD] = comments.get(dimension.key, "")
    return initial


class RedactForm(forms.Form):
    """Words a coordinator takes out of one comment before it is released."""

    ref = forms.CharField(widget=forms.HiddenInput, max_length=64)
    remove = forms.CharField(
        label="Words to remove",
        max_length=500,
        help_text="Copy them exactly as they are written, for example a person's name.",
        error_messages={"required": "Type the words to remove."},
    )
