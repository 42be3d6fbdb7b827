from __future__ import annotations

import re
from typing import Any

from django import forms

from joinedup.accounts.models import User
from joinedup.core.registry import record_kinds
from joinedup.voice.choices import ANSWER_KINDS, INDICATOR_KIND, MIN_FEEDBACK_GROUP
from joinedup.voice.instrument import FeedbackInstrument
from joinedup.voice.models import Theme


class FeedbackFormForm(forms.Form):
    service = forms.CharField(
        label="Name of the service",
        max_length=200,
        required=False,
        help_text="As people who use it know it, such as 'Community mental health team'. "
        "Leave it empty for a form about all the partnership's services.",
    )
    min_group_size = forms.IntegerField(
        label="Smallest group shown",
        min_value=MIN_FEEDBACK_GROUP,
        initial=MIN_FEEDBACK_GROUP,
        help_text=f"A month with fewer answers than this is hidden. It cannot be less than {MIN_FEEDBACK_GROUP}.",
    )
    safeguarding_lead = forms.ModelChoiceField(
        label="Safeguarding lead",
        queryset=User.objects.none(),
        required=False,
        help_text="The person a moderator can flag a worrying comment to. They get an e-mail.",
    )
    is_open = forms.BooleanField(label="Open for answers", required=False, initial=True)

    def __init__(self, *args: Any, leads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["safeguarding_lead"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = leads
        field.label_from_instance = lambda u: u.full_name or u.email  # type: ignore[method-assign,assignment]


ONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class AnswerForm(forms.Form):
    """The public feedback form, built from the instrument. `website` is a honeypot: people never see it."""

    def __init__(self, *args: Any, instrument: FeedbackInstrument, service: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["overall"] = forms.ChoiceField(
            label=instrument.overall_question(service),
            choices=[(c.key, c.label) for c in instrument.overall],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose how your experience was overall (or choose don't know)."},
        )
        self.fields["comments"] = forms.CharField(
            label=instrument.comments_text,
            help_text=instrument.comments_hint,
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 5}),
        )
        for s in instrument.statements:
            self.fields[s.key] = forms.ChoiceField(
                label=s.text,
                choices=[(c.key, c.label) for c in instrument.scale],
                widget=forms.RadioSelect,
                required=False,
            )
        self.fields["website"] = forms.CharField(required=False, label="Leave this empty")
        # A random value put in the page when it is shown, so sending the same page twice (a double tap, a retry
        # after a lost connection) keeps the answers once (services.response_submit). It names nobody.
        self.fields["once"] = forms.CharField(required=False, max_length=None)

    def clean_once(self) -> str:
        """A value the page did not make (tampered with, or cut short) is dropped, never an error the person
        cannot see or fix: the answers are then kept without the protection."""
        value = str(self.cleaned_data.get("once") or "")
        return value if ONCE.fullmatch(value) else ""

    def statement_fields(self) -> list[Any]:
        return [self[s.key] for s in self.instrument.statements]


class ModerateForm(forms.Form):
    text = forms.CharField(
        label="The comment as it will be published",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Take out anything that could tell who wrote it or who it is about.",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Themes"
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["themes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Theme.objects.filter(partnership=partnership)


class SafeguardingForm(forms.Form):
    note = forms.CharField(
        label="What is the concern?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The safeguarding lead reads this with the comment.",
    )


class ThemeForm(forms.Form):
    name = forms.CharField(label="Name of the theme", max_length=100)


def _record_choices(keys: tuple[str, ...], partnership: Any) -> list[tuple[str, str]]:
    choices = []
    for key in keys:
        kind = record_kinds.get(key)
        if kind is None:
            continue
        choices += [
            (f"{key}:{ref.id}", f"{kind.label}: {ref.title}") for ref in kind.options(partnership=partnership)
        ]
    return choices


class YouSaidWeDidForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), label="Theme (what people raised)")
    you_said = forms.CharField(label="You said", widget=forms.Textarea(attrs={"rows": 3}))
    we_did = forms.CharField(label="We did", widget=forms.Textarea(attrs={"rows": 3}))
    record = forms.ChoiceField(
        label="The decision or action on the record",
        help_text="Every 'we did' points at a decision or action of the partnership's board.",
    )
    indicator = forms.ChoiceField(label="Indicator to watch", required=False)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ModelChoiceField)
        theme.queryset = Theme.objects.filter(partnership=partnership)
        record = self.fields["record"]
        indicator = self.fields["indicator"]
        assert isinstance(record, forms.ChoiceField) and isinstance(indicator, forms.ChoiceField)
        record.choices = [("", "Choose one"), *_record_choices(ANSWER_KINDS, partnership)]
        indicator.choices = [("", "None"), *_record_choices((INDICATOR_KIND,), partnership)]

    @staticmethod
    def split(value: str) -> tuple[str, int | None]:
        kind, _, ident = value.rpartition(":")
        return kind, int(ident) if ident.isdigit() else None
