"""Staff pages: a partnership's feedback forms, a form's link, QR code and poster, and the results by month."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.analysis.safe_cells import safe_writer
from joinedup.core.http import form_page
from joinedup.core.permissions import Permission, has_permission, permission_declared, require
from joinedup.register.forms import add_service_errors
from joinedup.register.roles import roles_held
from joinedup.register.views.common import partnership_or_404
from joinedup.voice import charts, poster, selectors, services
from joinedup.voice.forms import FeedbackFormForm
from joinedup.voice.instrument import shipped
from joinedup.voice.models import FeedbackForm


def _form_or_404(request: HttpRequest, pk: int) -> FeedbackForm:
    form = selectors.form_get(pk=pk)
    if form is None:
        raise Http404("No such feedback form")
    partnership_or_404(request, form.partnership_id)
    return form


def _leads(partnership: object) -> object:
    return User.objects.filter(pk__in=roles_held(partnership=partnership).values("user_id")).order_by("email")  # type: ignore[arg-type]


def short_link(request: HttpRequest, form: FeedbackForm) -> str:
    return request.build_absolute_uri(reverse("feedback:answer", args=[form.code]))


@permission_declared(Permission.PARTNERSHIP_VIEW)
@login_required
def partnership_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    moderator = has_permission(request.user, Permission.FEEDBACK_MODERATE, partnership)
    return render(
        request,
        "voice/partnership.html",
        {
            "partnership": partnership,
            "forms": selectors.forms_for(partnership=partnership),
            "moderator": moderator,
            "queue": selectors.moderation_queue(partnership=partnership) if moderator else None,
        },
    )


@permission_declared(Permission.FEEDBACK_MODERATE)
@login_required
def form_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.FEEDBACK_MODERATE, partnership)
    form = FeedbackFormForm(request.POST or None, leads=_leads(partnership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.form_create(
                by=request.user,
                partnership=partnership,
                service=data["service"],
                min_group_size=data["min_group_size"],
                safeguarding_lead=data["safeguarding_lead"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("voice:form_detail", pk=created.pk)
    form.fields.pop("is_open")
    return form_page(
        request,
        form,
        title="New feedback form",
        cancel_url=reverse("voice:partnership", args=[partnership.pk]),
        submit_label="Create the form",
        intro="People answer it without an account, by a short link or a QR code on a poster.",
    )


@permission_declared(Permission.FEEDBACK_MODERATE)
@login_required
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    feedback_form = _form_or_404(request, pk)
    require(request, Permission.FEEDBACK_MODERATE, feedback_form.partnership)
    initial = {
        "service": feedback_form.service,
        "min_group_size": feedback_form.min_group_size,
        "safeguarding_lead": feedback_form.safeguarding_lead,
        "is_open": feedback_form.is_open,
    }
    form = FeedbackFormForm(request.POST or None, initial=initial, leads=_leads(feedback_form.partnership))
    if request.method == "POST" and form.is_valid():
        try:
            services.form_update(by=request.user, form=feedback_form, fields=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("voice:form_detail", pk=feedback_form.pk)
    return form_page(
        request,
        form,
        title=f"Change the form about {feedback_form.service_label}",
        cancel_url=reverse("voice:form_detail", args=[feedback_form.pk]),
    )


@permission_declared(Permission.PARTNERSHIP_VIEW)
@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form_or_404(request, pk)
    link = short_link(request, form)
    return render(
        request,
        "voice/form_detail.html",
        {
            "feedback_form": form,
            "partnership": form.partnership,
            "link": link,
            "qr": poster.qr_svg(link),
            "moderator": has_permission(request.user, Permission.FEEDBACK_MODERATE, form.partnership),
        },
    )


@permission_declared(Permission.PARTNERSHIP_VIEW)
@login_required
def poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 poster (a PDF). It holds the public link only, no figures, so anyone who sees the partnership may
    print it."""
    form = _form_or_404(request, pk)
    pdf = poster.poster_pdf(form=form, url=short_link(request, form))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="feedback-poster-{form.code}.pdf"'
    return response


@permission_declared(Permission.PARTNERSHIP_VIEW)
@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    released = selectors.results(partnership=partnership)
    return render(
        request,
        "voice/results.html",
        {
            "partnership": partnership,
            "released": released,
            "chart": charts.monthly_spec(released.by_month),
            "can_export": has_permission(request.user, Permission.EXPORT, partnership),
        },
    )


CSV_HEADER = ["service", "month", "answers", "very good or good", "percent very good or good"]


@permission_declared(Permission.EXPORT)
@login_required
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The released figures as CSV: the same groups as the page, hidden ones with empty cells."""
    partnership = partnership_or_404(request, pk)
    require(request, Permission.EXPORT, partnership)
    released = selectors.results(partnership=partnership)
    statements = shipped().statements
    out = io.StringIO()
    writer = safe_writer(out)
    writer.writerow(
        CSV_HEADER
        + [f"{s.short}: answered" for s in statements]
        + [f"{s.short}: percent agree" for s in statements]
    )
    groups = [("all services", "whole period", released.whole)] if released.whole else []
    groups += [("all services", f.label, f) for f in released.by_month]
    for form, figure, monthly in released.by_form:
        groups += [(form.service_label, "whole period", figure)] + [
            (form.service_label, f.label, f) for f in monthly
        ]
    for service, month, figure in groups:
        if not figure.shown:
            writer.writerow([service, month, "hidden", "", ""] + [""] * (2 * len(statements)))
            continue
        writer.writerow(
            [service, month, figure.answers, figure.good, figure.share]
            + [s.answered if s.answered is not None else "hidden" for s in figure.statements]
            + [s.share if s.share is not None else "" for s in figure.statements]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{partnership.pk}.csv"'
    return response
