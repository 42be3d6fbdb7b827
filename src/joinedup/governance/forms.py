"""Forms for the governance record. They check the shape of what was typed; the services check the rest and
their errors are put back on the fields (register.forms.add_service_errors)."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.governance.choices import (
    ActionStatus,
    AttendanceStatus,
    DecisionMethod,
    DisputeStatus,
    MeetingKind,
    MeetingState,
    VoteOption,
)
from joinedup.governance.models import AgendaItem, Meeting
from joinedup.register.choices import Sector
from joinedup.register.forms import DateInput
from joinedup.register.models import Membership, Organisation, Person

DECLARATION_ROWS = 3
ACTION_ROWS = 3
EXTRA_ATTENDANCE_ROWS = 3


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker (<input type="datetime-local">)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="For example: Partnership board, March 2027.")
    kind = forms.ChoiceField(label="Kind of meeting", choices=MeetingKind.choices)
    start = forms.DateTimeField(label="Starts", widget=DateTimeInput())
    end = forms.DateTimeField(label="Ends", required=False, widget=DateTimeInput())
    place = forms.CharField(label="Where", max_length=300, required=False, help_text="A room and building.")
    online = forms.BooleanField(label="Online (or partly online)", required=False)


class MeetingEditForm(MeetingForm):
    state = forms.ChoiceField(
        choices=MeetingState.choices,
        help_text="Recording the attendance records a scheduled meeting as held.",
    )


class AgendaItemForm(forms.Form):
    number = forms.IntegerField(min_value=1, max_value=999, help_text="Its place on the agenda: 1, 2, 3 …")
    title = forms.CharField(max_length=300)
    is_private = forms.BooleanField(
        label="Private item (only members, representatives and coordinators see it and its papers)",
        required=False,
    )
    note = forms.CharField(
        label="Note or minute",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was said or noted. Record a decision on its own page.",
    )


class PaperForm(forms.Form):
    title = forms.CharField(max_length=200)
    file = forms.FileField(
        help_text="A PDF, document, spreadsheet, presentation or image, up to 20 MB. Programs are refused."
    )
    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="Agenda item",
        empty_label="The whole meeting",
    )
    is_private = forms.BooleanField(label="Private paper", required=False)

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]


class AttendanceRowForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label="Organisation"
    )
    name = forms.CharField(max_length=200, required=False, label="Name")
    status = forms.ChoiceField(
        choices=[("", "Not recorded"), *AttendanceStatus.choices], required=False, label="Attendance"
    )
    substitute_for = forms.CharField(max_length=200, required=False, label="Standing in for")

    def __init__(self, *args: Any, organisations: Any = None, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            field = self.fields["organisation"]
            field.queryset = organisations  # type: ignore[attr-defined]
            if choices is not None:  # read once for every row of the table, not once a row
                field.choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") and not data.get("organisation"):
            self.add_error("organisation", "Choose the organisation they attended for.")
        if data.get("name") and data.get("organisation") and not data.get("status"):
            self.add_error("status", "Choose how they attended, or clear the name.")
        return data


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=0)


class DecisionForm(forms.Form):
    """A decision with a vote per voting organisation, declarations of interest and actions, on one page."""

    title = forms.CharField(max_length=200, help_text="A few words, for lists and the timeline.")
    text = forms.CharField(label="What was decided", widget=forms.Textarea(attrs={"rows": 4}))
    reasons = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    options_rejected = forms.CharField(
        label="Options considered and rejected", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(), required=False, label="Agenda item", empty_label="No item"
    )
    method = forms.ChoiceField(
        label="How it was decided", choices=DecisionMethod.choices, widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, items: Any, voting: list[Membership], members: list[Membership], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        self.voting = voting
        self.vote_fields = []
        for m in voting:
            name = f"vote_{m.organisation_id}"
            self.fields[name] = forms.ChoiceField(
                label=m.organisation.name, choices=[("", "No vote"), *VoteOption.choices], required=False
            )
            self.vote_fields.append(name)
        self.declaration_rows = []
        for n in range(1, DECLARATION_ROWS + 1):
            self.fields[f"declaration_name_{n}"] = forms.CharField(
                label=f"Declaration {n}: who", max_length=200, required=False
            )
            self.fields[f"declaration_interest_{n}"] = forms.CharField(
                label=f"Declaration {n}: interest", max_length=500, required=False
            )
            self.declaration_rows.append((f"declaration_name_{n}", f"declaration_interest_{n}"))
        organisations = Organisation.objects.filter(pk__in=[m.organisation_id for m in members]).order_by(
            "name"
        )
        people = Person.objects.filter(representing__in=[m.pk for m in members]).distinct().order_by("name")
        self.action_rows = []
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_title_{n}"] = forms.CharField(
                label=f"Action {n}: what", max_length=300, required=False
            )
            self.fields[f"action_org_{n}"] = forms.ModelChoiceField(
                queryset=organisations,
                label=f"Action {n}: owner organisation",
                required=False,
                empty_label="Choose an organisation",
            )
            self.fields[f"action_person_{n}"] = forms.ModelChoiceField(
                queryset=people, label=f"Action {n}: owner", required=False, empty_label="Nobody named"
            )
            self.fields[f"action_due_{n}"] = forms.DateField(
                label=f"Action {n}: due by", required=False, widget=DateInput()
            )
            self.action_rows.append(
                (f"action_title_{n}", f"action_org_{n}", f"action_person_{n}", f"action_due_{n}")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, interest in self.declaration_rows:
            if bool(data.get(name)) != bool(data.get(interest)):
                self.add_error(interest if data.get(name) else name, "Give both the name and the interest.")
        for title, org, person, due in self.action_rows:
            if any(data.get(f) for f in (org, person, due)) and not data.get(title):
                self.add_error(title, "Say what is to be done.")
            if data.get(title) and not data.get(org):
                self.add_error(org, "Choose the organisation that owns it.")
        return data

    def main_fields(self) -> list[Any]:
        return [self[n] for n in ("title", "text", "reasons", "options_rejected", "item")]

    def vote_bound(self) -> list[Any]:
        return [self[n] for n in self.vote_fields]

    def declaration_bound(self) -> list[list[Any]]:
        return [[self[n] for n in row] for row in self.declaration_rows]

    def action_bound(self) -> list[list[Any]]:
        return [[self[n] for n in row] for row in self.action_rows]

    def votes(self) -> dict[Organisation, str]:
        return {
            m.organisation: self.cleaned_data[f"vote_{m.organisation_id}"]
            for m in self.voting
            if self.cleaned_data.get(f"vote_{m.organisation_id}")
        }

    def declarations(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[n], self.cleaned_data[i])
            for n, i in self.declaration_rows
            if self.cleaned_data.get(n)
        ]

    def action_data(self) -> list[dict[str, Any]]:
        return [
            {
                "title": self.cleaned_data[t],
                "owner_organisation": self.cleaned_data[o],
                "owner_person": self.cleaned_data.get(p),
                "due": self.cleaned_data.get(d),
            }
            for t, o, p, d in self.action_rows
            if self.cleaned_data.get(t)
        ]


class DecisionWordsForm(forms.Form):
    """The words of a recorded decision (its votes and quorum stay as recorded)."""

    title = forms.CharField(max_length=200)
    text = forms.CharField(label="What was decided", widget=forms.Textarea(attrs={"rows": 4}))
    reasons = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    options_rejected = forms.CharField(
        label="Options considered and rejected", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.Form):
    title = forms.CharField(label="What is to be done", max_length=300)
    owner_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Owner organisation"
    )
    owner_person = forms.ModelChoiceField(
        queryset=Person.objects.none(), label="Owner", required=False, empty_label="Nobody named"
    )
    due = forms.DateField(label="Due by", required=False, widget=DateInput())
    status = forms.ChoiceField(choices=ActionStatus.choices)
    completed = forms.DateField(
        label="Completed on", required=False, widget=DateInput(), help_text="Only for a done action."
    )
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), label="From the meeting", required=False, empty_label="No meeting"
    )

    def __init__(self, *args: Any, members: list[Membership], meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.organisation_id for m in members]
        ).order_by("name")
        self.fields["owner_person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(representing__in=[m.pk for m in members]).distinct().order_by("name")
        )


class DisputeForm(forms.Form):
    topic = forms.CharField(max_length=300)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    raised_by = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Raised by")
    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), label="Partners involved", widget=forms.CheckboxSelectMultiple
    )
    status = forms.ChoiceField(choices=DisputeStatus.choices)
    escalation_step = forms.CharField(
        label="Escalation step taken",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Quote the step of the agreement's disputes clause that was taken. Needed when escalated.",
    )
    raised_on = forms.DateField(label="Raised on", widget=DateInput())
    closed_on = forms.DateField(
        label="Resolved or escalated on",
        required=False,
        widget=DateInput(),
        help_text="Only once resolved or escalated.",
    )

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(pk__in=[m.organisation_id for m in members]).order_by(
            "name"
        )
        self.fields["raised_by"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["partners"].queryset = organisations  # type: ignore[attr-defined]


class QuorumRuleForm(forms.Form):
    min_count = forms.IntegerField(
        label="At least this many voting members",
        min_value=0,
        required=False,
        help_text="Leave empty for no count.",
    )
    min_share_percent = forms.IntegerField(
        label="At least this share of voting members (per cent)",
        min_value=0,
        max_value=100,
        required=False,
        help_text="For example 50 for half. Leave empty for no share.",
    )
    source = forms.CharField(
        label="Where the rule comes from",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, quote the governance clause of the agreement.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for sector in Sector:
            self.fields[f"sector_{sector.value}"] = forms.IntegerField(
                label=f"At least this many {sector.label} voting members",
                min_value=0,
                max_value=50,
                required=False,
            )

    def constituencies(self) -> list[tuple[str, int]]:
        return [
            (sector.value, self.cleaned_data[f"sector_{sector.value}"])
            for sector in Sector
            if self.cleaned_data.get(f"sector_{sector.value}")
        ]
