from __future__ import annotations

from django import forms

FORMAT_CHOICES = [
    ("ods", "ODS file (CSV with no header row and 27 columns, dates as YYYYMMDD)"),
    ("charity", "Charity Commission register extract (tab-separated, with a header row)"),
    ("csv", "Plain CSV with a header row naming organisation fields"),
]


class OrganisationImportForm(forms.Form):
    file = forms.FileField(label="File to import", help_text="A UTF-8 text file.")
    fmt = forms.ChoiceField(label="File format", choices=FORMAT_CHOICES, widget=forms.Select)
    dry_run = forms.BooleanField(
        label="Check the file only: report what would change, but save nothing", required=False
    )
