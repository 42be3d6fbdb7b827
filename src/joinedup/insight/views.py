"""The partnership health page (agreement, assessment, network, indicators, feedback, governance, then the
flags ranked by severity, and the integration ladder) and the page where a coordinator tunes the thresholds.

The health page reads the flag set the background job keeps; it never computes flags itself. Viewing needs
PARTNERSHIP_VIEW (the network parts NETWORK_VIEW as well); tuning needs PARTNERSHIP_EDIT."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from joinedup.accounts.http import AuthedRequest
from joinedup.analysis.flags import load_settings
from joinedup.core.http import form_page
from joinedup.core.permissions import Access, Permission, permission_declared, require
from joinedup.insight import selectors, services
from joinedup.insight.forms import LABELS, ThresholdsForm
from joinedup.register.forms import add_service_errors
from joinedup.register.views.common import partnership_or_404


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def health(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_VIEW, partnership)
    flag_set = selectors.flag_set_get(partnership=partnership)
    context = {"partnership": partnership, "flag_set": flag_set}
    if flag_set is not None:
        context.update(selectors.health(user=request.user, partnership=partnership, flag_set=flag_set))
    return render(request, "insight/health.html", context)


@login_required
@permission_declared(Permission.PARTNERSHIP_EDIT)
@require_http_methods(["GET", "POST"])
def thresholds(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_EDIT, partnership)
    form = ThresholdsForm(request.POST or None, current=selectors.thresholds_get(partnership=partnership))
    back = reverse("insight:health", args=[partnership.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.thresholds_save(by=request.user, partnership=partnership, values=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thresholds saved. The flags are worked out again in the background.")
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"Warning-flag thresholds: {partnership.name}",
        cancel_url=back,
        intro=(
            "A flag is raised when the partnership's records pass one of these thresholds. Change them to suit "
            "this partnership; every change is recorded in its history."
        ),
    )


GUIDE = {
    "no_shared_outcomes": "No aims-and-outcomes clause is in force, or no outcome indicator is measured.",
    "review_overdue": "An agreement in force has passed the date its review was due.",
    "not_signed_by_all": "A current member has not signed the version in force, or a proposal has waited too long for signatures.",
    "contract_like": "The agreement in force reads as a contract rather than a partnership.",
    "power_imbalance": "One partner puts in most of the money and holds a fixed chair, or groups see equality and power differently.",
    "low_trust": "Trust is in the lowest part of its scale, or fell between surveys by more than chance.",
    "perception_gap": "Two groups (sectors, professions) score a dimension of the assessment differently enough to discuss.",
    "peripheral_member": "A member is named by at most one other in the relationship survey and links nobody.",
    "fading_attendance": "Nobody attended for a member at most of the latest meetings held.",
    "inquorate_decision": "A decision was recorded at a meeting that was not quorate.",
    "overdue_actions": "Actions are past their due date and not done.",
    "measurement_burden": "Many indicators per partner, or indicators without figures for several periods.",
    "outcome_concern": "An indicator shows special-cause concern, or consistently fails its target.",
    "pace_of_change": "Several reorganisations or leader changes in a year, or many new representatives.",
    "no_service_user_voice": "No service-user or carer member, and no feedback for months.",
    "dispute_unresolved": "A dispute has been open too long, or was escalated.",
    "overload": "A person or organisation sits in many partnerships of the same place.",
}


@login_required
@permission_declared(Access.SIGNED_IN)
def guide(request: AuthedRequest) -> HttpResponse:
    """What each warning flag means, where it comes from and the shipped thresholds."""
    settings = load_settings()
    rules = [
        {
            "code": code,
            "when": GUIDE.get(code, ""),
            "text": text,
            "severity": selectors.SEVERITY_WORDS[text.severity],
        }
        for code, text in settings.texts.items()
    ]
    thresholds = [(LABELS.get(k, k), v) for k, v in settings.thresholds.items()]
    return render(
        request,
        "insight/guide.html",
        {"rules": rules, "thresholds": thresholds, "version": settings.version},
    )
