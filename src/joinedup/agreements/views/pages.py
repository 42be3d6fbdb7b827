"""Reading pages: a partnership's agreements, an agreement, a version, the diff, reviews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.http import AuthedRequest
from joinedup.agreements import presenters, selectors, services
from joinedup.agreements.choices import ClauseKind, ReviewOutcome, VersionStatus
from joinedup.agreements.content import altered_versions
from joinedup.agreements.forms import AgreementForm, ReviewForm, SignForm
from joinedup.agreements.models import AgreementVersion
from joinedup.agreements.views.common import agreement_or_404, version_or_404
from joinedup.core.http import form_page
from joinedup.core.permissions import Access, Permission, has_permission, permission_declared, require
from joinedup.register.forms import add_service_errors
from joinedup.register.views.common import partnership_or_404

S = VersionStatus


def version_url(version: AgreementVersion) -> str:
    """The page for a version: the editor for a draft, the proposal page for a proposal, else read-only."""
    args = [version.agreement_id, version.number]
    if version.status == S.DRAFT:
        return reverse("agreements:draft_edit", args=args)
    if version.status == S.PROPOSED:
        return reverse("agreements:proposal", args=args)
    return reverse("agreements:version", args=args)


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def agreement_list(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    context = {
        "partnership": partnership,
        "rows": presenters.agreement_rows(partnership=partnership),
        "can_propose": has_permission(request.user, Permission.AGREEMENT_PROPOSE, partnership),
    }
    return render(request, "agreements/agreement_list.html", context)


@login_required
@permission_declared(Permission.AGREEMENT_PROPOSE)
def agreement_create(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.AGREEMENT_PROPOSE, partnership)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                by=request.user, partnership=partnership, **form.cleaned_data
            )
            draft = services.draft_start(by=request.user, agreement=agreement)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{agreement.title} created. Write its first draft below.")
            return redirect(version_url(draft))
    return form_page(
        request,
        form,
        title=f"New agreement for {partnership.name}",
        submit_label="Create agreement",
        cancel_url=reverse("agreements:list", args=[partnership.pk]),
    )


def _version_context(version: AgreementVersion) -> dict[str, Any]:
    return {
        "version": version,
        "altered": altered_versions(version),
        "fields": presenters.field_rows(version),
        "reading": selectors.version_reading(version=version),
        "signing": selectors.signing_status(version=version),
    }


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    partnership = agreement.partnership
    in_force = selectors.version_in_force(agreement=agreement)
    reviews = list(selectors.review_list(agreement=agreement))
    context: dict[str, Any] = {
        "agreement": agreement,
        "partnership": partnership,
        "in_force": in_force,
        "open_change": selectors.open_change(agreement=agreement),
        "versions": selectors.version_list(agreement=agreement),
        "reviews": reviews,
        "can_propose": has_permission(request.user, Permission.AGREEMENT_PROPOSE, partnership),
        "can_review": has_permission(request.user, Permission.PARTNERSHIP_EDIT, partnership),
    }
    if in_force is not None:
        context.update(_version_context(in_force))
        unsigned = {o.pk for o in context["signing"].unsigned}
        context["signatory_for"] = [
            o
            for o in presenters.signatory_organisations(user=request.user, partnership=partnership)
            if o.pk in unsigned
        ]
        context["sign_form"] = SignForm(initial={"content_hash": in_force.content_hash})
        last = max((r.date for r in reviews if r.version_id == in_force.pk), default=None)
        due = selectors.next_review_due(version=in_force, last_review=last)
        context["next_review"] = due
        context["review_overdue"] = due is not None and due < timezone.localdate()
    return render(request, "agreements/agreement_detail.html", context)


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def version_detail(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    version = version_or_404(agreement, number)
    if version.status in (S.DRAFT, S.PROPOSED):
        return redirect(version_url(version))
    context = {"agreement": agreement, "partnership": agreement.partnership, **_version_context(version)}
    return render(request, "agreements/version_detail.html", context)


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def version_diff(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    versions = list(selectors.version_list(agreement=agreement))
    if not versions:
        raise Http404("This agreement has no versions yet")
    to_n = _number(request.GET.get("to")) or versions[0].number
    new = version_or_404(agreement, to_n)
    from_default = new.based_on.number if new.based_on else max(new.number - 1, 1)
    old = version_or_404(agreement, _number(request.GET.get("from")) or from_default)
    diff = selectors.version_diff(old=old, new=new)
    context = {
        "agreement": agreement,
        "partnership": agreement.partnership,
        "versions": versions,
        "old": old,
        "new": new,
        "altered": altered_versions(old, new),
        "diff": diff,
        "field_changes": presenters.field_change_rows(diff),
        "contribution_changes": presenters.contribution_change_rows(diff),
        "unchanged": [c for c in diff.clauses if c.status == "unchanged"],
        "kind_labels": dict(ClauseKind.choices),
    }
    return render(request, "agreements/diff.html", context)


@login_required
@permission_declared(Permission.PARTNERSHIP_EDIT)
def review_add(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_EDIT, agreement.partnership)
    people = presenters.people_for_review(partnership=agreement.partnership)
    form = ReviewForm(request.POST or None, people=people, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_record(by=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if review.outcome == ReviewOutcome.REVISE and review.draft is not None:
                messages.success(request, "Review recorded. A draft has been opened for the revision.")
                return redirect(version_url(review.draft))
            messages.success(request, "Review recorded.")
            return redirect(reverse("agreements:detail", args=[agreement.pk]))
    return render(
        request,
        "agreements/review_form.html",
        {"form": form, "agreement": agreement, "partnership": agreement.partnership},
    )


@login_required
@permission_declared(Access.SIGNED_IN)
def reviews_due(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "overdue": selectors.reviews_overdue(user=request.user, today=today),
        "due": [r for r in selectors.reviews_due(user=request.user, today=today) if not r.overdue],
        "today": today,
    }
    return render(request, "agreements/reviews_due.html", context)
