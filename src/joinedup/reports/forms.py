from __future__ import annotations

from typing import Any

from django import forms

from joinedup.reports.choices import FORMATS

WHOLE = "partnership"


class PackForm(forms.Form):
    """Which pack (the partnership's, or one member's governance pack) and in which format."""

    partner = forms.ChoiceField(
        label="Which pack",
        help_text="The partnership's review pack, or the governance pack of one member organisation: the same "
        "partnership seen for that member (its representatives, contributions, signatures, attendance and actions).",
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[(key, label) for key, (_type, label) in FORMATS.items()],
        initial="pdf",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ChoiceField)
        partner.choices = [(WHOLE, "The partnership's review pack")] + [
            (str(m.pk), f"Governance pack of {m.name}") for m in members
        ]

    def organisation(self) -> Any:
        return self.members.get(self.cleaned_data["partner"])
