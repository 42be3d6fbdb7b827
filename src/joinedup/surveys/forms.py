"""Forms for running survey waves: create a wave, invite people."""

from __future__ import annotations

import datetime
import json
from typing import Any

import yaml
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from joinedup.analysis.instruments import InstrumentError, parse_instrument, shipped_instruments
from joinedup.analysis.reading_yaml import load_yaml
from joinedup.core.registry import wave_kind_choices, wave_kinds
from joinedup.register.models import Person
from joinedup.surveys.choices import Anonymity
from joinedup.surveys.models import MIN_GROUP_FLOOR

UPLOAD = "__upload__"
MAX_INSTRUMENT_BYTES = 512 * 1024


def shipped_instrument_choices() -> list[tuple[str, str]]:
    choices = []
    for key, path in shipped_instruments().items():
        title = yaml.safe_load(path.read_text(encoding="utf-8")).get("title", key)
        choices.append((key, f"{title} ({key})"))
    return choices


class DateInput(forms.DateInput):
    input_type = "date"


class WaveForm(forms.Form):
    title = forms.CharField(
        max_length=300, label="Title", help_text="For example: Partnership health check 2026"
    )
    kind = forms.ChoiceField(label="Kind of survey")
    instrument_key = forms.ChoiceField(
        label="Instrument (for an assessment)",
        required=False,
        help_text="The questions people answer. Choose one that comes with JoinedUp, or upload your own file.",
    )
    instrument_file = forms.FileField(
        label="Your own instrument file (YAML)",
        required=False,
        help_text="Only if you chose 'Upload my own file' above.",
    )
    audience = forms.CharField(
        max_length=200, required=False, label="Who is it for", help_text="For example: partner staff"
    )
    anonymity = forms.ChoiceField(
        label="Anonymity", choices=Anonymity.choices, initial=Anonymity.CONFIDENTIAL
    )
    min_group_size = forms.IntegerField(
        label="Smallest group shown",
        min_value=MIN_GROUP_FLOOR,
        max_value=100,
        initial=5,
        help_text=f"Results for groups with fewer people than this are hidden (at least {MIN_GROUP_FLOOR}).",
    )
    opens = forms.DateField(label="Opens on", widget=DateInput)
    closes = forms.DateField(label="Closes on", widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instrument_key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "Choose an instrument"),
            *shipped_instrument_choices(),
            (UPLOAD, "Upload my own file"),
        ]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        # the kinds the installed apps registered (joinedup.core.registry.wave_kinds)
        kind.choices = wave_kind_choices()
        self.instrument: dict[str, Any] | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens"), data.get("closes")
        if isinstance(opens, datetime.date) and isinstance(closes, datetime.date) and closes < opens:
            self.add_error("closes", "The closing date must be on or after the opening date.")
        entry = wave_kinds.get(data.get("kind") or "")
        if entry is None or not entry.needs_instrument:
            data["instrument_key"] = ""
            return data
        key = data.get("instrument_key")
        if not key:
            self.add_error("instrument_key", "Choose the instrument this assessment uses.")
        elif key == UPLOAD:
            self._clean_upload(data)
        else:
            text = shipped_instruments()[key].read_text(encoding="utf-8")
            self.instrument = yaml.safe_load(text)
        return data

    def _clean_upload(self, data: dict[str, Any]) -> None:
        upload = data.get("instrument_file")
        if upload is None:
            self.add_error("instrument_file", "Choose the instrument file to upload.")
            return
        if upload.size > MAX_INSTRUMENT_BYTES:
            self.add_error("instrument_file", "The file is too big for an instrument (at most 512 KB).")
            return
        raw = upload.read()
        try:  # the bounded reader: UTF-8 only, no aliases, limited nesting, errors with line and column
            instrument = parse_instrument(raw, source=upload.name)
            _node, parsed = load_yaml(raw)
        except InstrumentError as exc:
            self.add_error("instrument_file", [ValidationError(problem) for problem in exc.problems])
            return
        # Kept as plain JSON data, so the wave's copy never changes under it.
        self.instrument = json.loads(json.dumps(parsed, default=str))
        data["instrument_key"] = instrument.key


def parse_email_lines(text: str) -> tuple[list[str], list[str]]:
    """The addresses in pasted text (one a line, blank lines ignored) and a problem line for each bad one."""
    emails: list[str] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        address = line.strip().strip(",;")
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            problems.append(f"Line {number}: '{address}' is not an e-mail address.")
        else:
            emails.append(address.lower())
    return emails, problems


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.email})"


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="E-mail addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "One address a line. Each person gets a private link of their own: they can save their answers and "
            "come back to them with it until they send them."
        ),
    )
    representatives = PersonChoiceField(
        label="Representatives of the member organisations",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, representatives: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["representatives"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        if representatives is not None:
            field.queryset = representatives
        self.email_list: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        emails, problems = parse_email_lines(data.get("emails") or "")
        for problem in problems:
            self.add_error("emails", problem)
        self.email_list = emails
        if not problems and not emails and not data.get("representatives"):
            raise ValidationError("Paste at least one e-mail address or tick at least one representative.")
        return data
