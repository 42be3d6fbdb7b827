"""Register forms. They check input; the services check the register's rules and do the saving.

Model forms here never write: views pass `cleaned_data` to a service, and a ValidationError the
service raises is put back on the form against its field (see `add_service_errors`).
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.forms.models import construct_instance

from joinedup.core.choices import RoleKind
from joinedup.register import selectors
from joinedup.register.choices import EventKind, MembershipRole, PartnershipKind, Profession, Sector
from joinedup.register.models import Affiliation, Organisation, Partnership, Person
from joinedup.register.people_access import people_visible_to

DATE_FORMAT = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """A native date picker (<input type="date">), which sends and expects ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATE_FORMAT)


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput())


class RegisterModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form that checks fields but leaves uniqueness and constraints to the service.

    Django's own constraint messages ("Constraint … is violated") name no field; the services raise
    errors that do, and `add_service_errors` puts them against the field.

    It checks the input on its own copy of the instance, so the view's object (and the page around the form,
    its title and links) keeps the stored values when the input is refused. The audit does not depend on
    this: the save services read "before" from the stored row.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = copy.copy(self.instance)

    def _post_clean(self) -> None:
        opts = self._meta
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
            exclude = self._get_validation_exclusions()  # type: ignore[attr-defined]
            self.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors on their field, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error)


class OrganisationForm(RegisterModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "sector",
            "org_type",
            "ods_code",
            "charity_number",
            "company_number",
            "org_id",
            "gss_code",
            "cqc_provider_id",
            "cqc_location_id",
            "area",
            "address",
            "postcode",
            "opened",
            "closed",
        ]
        widgets = {"opened": DateInput(), "closed": DateInput()}
        help_texts = {
            "org_type": "For example NHS trust, county council, registered charity",
            "ods_code": "The NHS Organisation Data Service code, for example RXX",
            "org_id": "For example GB-NHS-RXX or GB-CHC-1234567",
            "gss_code": "For example E10000023",
            "closed": "Leave empty while the organisation is open",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "Choose a sector"), *Sector.choices]  # type: ignore[attr-defined]


class PersonForm(RegisterModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "job_title", "profession", "profession_other"]
        help_texts = {"profession_other": "Needed when the profession is Other"}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("profession") == Profession.OTHER and not data.get("profession_other", "").strip():
            self.add_error("profession_other", "Enter the profession, as the profession is Other.")
        elif data.get("profession") not in (None, Profession.OTHER):
            data["profession_other"] = ""
        return data


class AffiliationForm(RegisterModelForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Organisation", empty_label="Choose an organisation"
    )

    class Meta:
        model = Affiliation
        fields = ["organisation", "job_title", "started", "ended"]
        widgets = {"started": DateInput(), "ended": DateInput()}
        help_texts = {"ended": "Leave empty while they still work there"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisation_choices()  # type: ignore[attr-defined]


class PartnershipForm(RegisterModelForm):
    parent = forms.ModelChoiceField(
        queryset=Partnership.objects.none(),
        required=False,
        empty_label="None: it stands on its own",
        label="Part of",
        help_text="The wider partnership this one sits within, if any",
    )

    class Meta:
        model = Partnership
        fields = ["name", "purpose", "kind", "status", "parent", "area", "started", "ended"]
        widgets = {"started": DateInput(), "ended": DateInput(), "purpose": forms.Textarea(attrs={"rows": 4})}
        labels = {"kind": "Kind of partnership"}
        help_texts = {
            "kind": "Horizontal partnerships are broad and strategic; vertical ones integrate a service",
            "started": "When it began working together: today, for a partnership starting now",
            "ended": "Leave empty: most partnerships have no fixed end",
        }

    def __init__(self, *args: Any, parents: QuerySet[Partnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["started"].initial = datetime.date.today()
        self.fields["kind"].choices = [("", "Choose a kind"), *PartnershipKind.choices]  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("name", "id")  # type: ignore[attr-defined]


class MembershipChangeForm(forms.Form):
    """Change a member's role, joining date or representatives.

    The representatives are chosen from the organisation's people with the picker
    (`register/_representative_picker.html`), not the field's own widget; any person the user may see is a valid
    choice here, and the service refuses one not affiliated with the organisation (offering `record_affiliation`).
    """

    role = forms.ChoiceField(choices=MembershipRole.choices, initial=MembershipRole.MEMBER)
    joined = date_field("Date joined")
    representatives = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Representatives",
        widget=forms.CheckboxSelectMultiple,
        help_text="The people who speak for the organisation in this partnership",
    )
    record_affiliation = forms.BooleanField(
        required=False, label="Record that they work for this organisation, from today"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["representatives"].queryset = people_visible_to(user).order_by("name", "id")  # type: ignore[attr-defined]

    def picked_ids(self) -> list[int]:
        """The representatives ticked on the page (bound) or already chosen (unbound), as ids, for the picker."""
        if self.is_bound:
            raw = (
                self.data.getlist(self.add_prefix("representatives")) if hasattr(self.data, "getlist") else []
            )
        else:
            raw = [getattr(p, "pk", p) for p in self.initial.get("representatives", [])]
        return [int(v) for v in raw if str(v).isdigit()]


class MembershipForm(MembershipChangeForm):
    """Add an organisation to a partnership."""

    field_order = ["organisation", "role", "joined", "representatives"]
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Organisation", empty_label="Choose an organisation"
    )

    def __init__(self, *args: Any, picker_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = selectors.organisation_choices()  # type: ignore[attr-defined]
        if picker_url:  # with JavaScript, choosing the organisation lists its people at once
            field.widget.attrs.update(
                {
                    "hx-get": picker_url,
                    "hx-trigger": "change",
                    "hx-target": "#representatives-picker",
                    "hx-swap": "outerHTML",
                    "hx-include": "closest form",
                }
            )


class MembershipEndForm(forms.Form):
    """Record that an organisation left a partnership."""

    prefix = "end"

    left = date_field("Date left")
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the partnership's timeline",
    )


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=EventKind.choices, label="What happened")
    date = date_field("Date")
    title = forms.CharField(max_length=300, label="Title")
    description = forms.CharField(
        required=False, label="Description", widget=forms.Textarea(attrs={"rows": 4})
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="The whole partnership",
        label="About one member organisation",
        help_text="Leave empty if the event is about the whole partnership",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.partnership_organisations(  # type: ignore[attr-defined]
            partnership=partnership
        )


class RoleInviteForm(forms.Form):
    """Invite someone to a role in a partnership (the service checks membership and affiliation)."""

    email = forms.EmailField(label="E-mail address")
    name = forms.CharField(label="Their name", max_length=200, required=False)
    role = forms.ChoiceField(
        label="Role",
        choices=RoleKind.choices,
        initial=RoleKind.MEMBER,
        help_text="A system leader sees this partnership and every partnership under it, and changes nothing.",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation they represent",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not a representative",
        help_text="For a representative only: one of the partnership's current members.",
    )
    is_signatory = forms.BooleanField(label="May sign agreements for this organisation", required=False)
    record_affiliation = forms.BooleanField(
        label="Record that they work for this organisation",
        required=False,
        help_text="A representative must work for, or volunteer with, the organisation they speak for.",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Organisation.objects.filter(
            memberships__partnership=partnership, memberships__left__isnull=True
        ).distinct()
        self.fields["organisation"].queryset = members.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        representative = data.get("role") == RoleKind.REPRESENTATIVE
        if representative and not data.get("organisation"):
            self.add_error("organisation", "Choose the organisation this representative speaks for.")
        if not representative and (data.get("organisation") or data.get("is_signatory")):
            self.add_error("organisation", "Only a representative speaks or signs for an organisation.")
        return data


class InvitationAcceptForm(forms.Form):
    """Create the account an invitation is for (the e-mail address is the invitation's)."""

    full_name = forms.CharField(label="Your name", max_length=200)
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text="At least 8 characters, not a common password and not like your name or e-mail address. Three or four random words work well.",
    )
    password2 = forms.CharField(
        label="The same password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords are not the same.")
        return data
