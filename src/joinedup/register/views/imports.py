from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.accounts.http import AuthedRequest
from joinedup.core.choices import JobStatus
from joinedup.core.permissions import Permission, permission_declared, require
from joinedup.core.selectors import job_for_user
from joinedup.register.imports import organisations_import
from joinedup.register.imports.forms import OrganisationImportForm
from joinedup.register.jobs import (
    BACKGROUND_FROM_LINES,
    ERRORS_KEPT,
    IMPORT_JOB,
    organisations_import_later,
    report_from_result,
)


@login_required
@permission_declared(Permission.REGISTER_IMPORT)
def organisation_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of organisations; show the import report (all rows are saved, or none).

    A long file is imported by a background job: the user watches its progress, then sees the same report.
    """
    require(request, Permission.REGISTER_IMPORT)
    form = OrganisationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if max(data.count(b"\n"), data.count(b"\r")) > BACKGROUND_FROM_LINES:  # CR-only files count too
            job = organisations_import_later(
                by=request.user,  # type: ignore[arg-type]
                data=data,
                fmt=form.cleaned_data["fmt"],
                dry_run=form.cleaned_data["dry_run"],
                filename=upload.name,
            )
            return redirect("core:job", pk=job.pk)
        upload.seek(0)
        report = organisations_import(
            by=request.user,  # type: ignore[arg-type]
            path_or_file=upload,
            fmt=form.cleaned_data["fmt"],
            dry_run=form.cleaned_data["dry_run"],
            filename=upload.name,
        )
        errors = report.sorted_errors()
        context = {
            "report": report,
            "errors": errors,
            "error_total": len(errors),
            "changes_total": len(report.changes),
            "kept_total": len(report.kept),
            "filename": upload.name,
        }
        return render(request, "register/import_report.html", context, status=200 if report.ok else 422)
    return render(request, "register/import.html", {"form": form})


@login_required
@permission_declared(Permission.REGISTER_IMPORT)
def organisation_import_report(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    """The report of an import that ran in the background."""
    require(request, Permission.REGISTER_IMPORT)
    job = job_for_user(user=request.user, pk=str(pk))
    if job.kind != IMPORT_JOB or job.status != JobStatus.DONE:
        raise Http404("No finished import here")
    report, errors, total = report_from_result(job)
    result = job.result or {}
    context = {
        "report": report,
        "errors": errors,
        "error_total": total,
        "errors_cut": total > ERRORS_KEPT,
        "changes_total": int(result.get("change_total", len(report.changes))),
        "kept_total": int(result.get("kept_total", len(report.kept))),
        "filename": job.params["filename"],
    }
    return render(request, "register/import_report.html", context)
