from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.accounts.permissions import Permission
from joinedup.register.imports import organisations_import
from joinedup.register.imports.forms import OrganisationImportForm
from joinedup.register.views.common import require


@login_required
def organisation_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of organisations; show the import report (all rows are saved, or none)."""
    require(request, Permission.REGISTER_IMPORT)
    form = OrganisationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = organisations_import(
            by=request.user,  # type: ignore[arg-type]
            path_or_file=upload,
            fmt=form.cleaned_data["fmt"],
            dry_run=form.cleaned_data["dry_run"],
            filename=upload.name,
        )
        context = {"report": report, "errors": report.sorted_errors(), "filename": upload.name}
        return render(request, "register/import_report.html", context, status=200 if report.ok else 422)
    return render(request, "register/import.html", {"form": form})
