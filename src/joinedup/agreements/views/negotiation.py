"""Negotiation pages: the draft editor (optimistic locking), the proposal page, comments, positions,
withdrawing, revising and signing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from joinedup.accounts.http import AuthedRequest
from joinedup.agreements import presenters, selectors, services
from joinedup.agreements.choices import ClauseKind, VersionStatus
from joinedup.agreements.content import altered_versions
from joinedup.agreements.forms import (
    ClauseFormSet,
    CommentForm,
    ContributionFormSet,
    FieldsForm,
    PositionForm,
    SignForm,
)
from joinedup.agreements.models import Agreement, AgreementVersion, Comment
from joinedup.agreements.views.common import agreement_or_404, version_or_404
from joinedup.agreements.views.pages import version_url
from joinedup.core.permissions import Permission, has_permission, permission_declared, require
from joinedup.register.models import Organisation

S = VersionStatus


def _members(agreement: Agreement) -> Any:
    return (
        Organisation.objects.filter(
            memberships__partnership=agreement.partnership, memberships__left__isnull=True
        )
        .distinct()
        .order_by("name")
    )


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _editor_forms(version: AgreementVersion, data: Any = None) -> dict[str, Any]:
    members = _members(version.agreement)
    initial_fields = {
        "lock_version": version.lock_version,
        "term": version.term,
        "end_date": version.end_date,
        "review_interval_months": version.review_interval_months,
        "decision_rule": version.decision_rule,
        "chairing": version.chairing,
        "chair_organisation": version.chair_organisation_id,
        "host_organisation": version.host_organisation_id,
        "risk_share": version.risk_share,
    }
    clauses = [{"kind": c.kind, "text": c.text, "order": c.order} for c in version.clauses.all()]
    contributions = [
        {
            "organisation": c.organisation_id,
            "kind": c.kind,
            "amount": c.amount,
            "unit": c.unit,
            "period": c.period,
            "description": c.description,
        }
        for c in version.contributions.all()
    ]
    return {
        "fields_form": FieldsForm(data, members=members, initial=initial_fields),
        "clause_formset": ClauseFormSet(data, prefix="clauses", initial=clauses),
        "contribution_formset": ContributionFormSet(
            data,
            prefix="contributions",
            initial=contributions,
            form_kwargs={"members": members, "member_choices": [(o.pk, str(o)) for o in members]},
        ),
    }


def _submitted_clauses(formset: Any) -> list[dict[str, Any]]:
    rows = []
    for i, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("remove") or not (data.get("kind") or data.get("text")):
            continue
        order = data.get("order")
        rows.append((order if order is not None else 10_000 + i, i, data))
    return [{"kind": d["kind"], "text": d["text"]} for _, _, d in sorted(rows, key=lambda r: (r[0], r[1]))]


def _submitted_contributions(formset: Any) -> list[dict[str, Any]]:
    result = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("remove") or not data.get("organisation"):
            continue
        result.append({k: v for k, v in data.items() if k != "remove"})
    return result


@login_required
@permission_declared(Permission.AGREEMENT_PROPOSE)
def draft_start(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start a draft from the version in force (POST only; GET shows the agreement)."""
    agreement = agreement_or_404(request, pk)
    require(request, Permission.AGREEMENT_PROPOSE, agreement.partnership)
    if request.method != "POST":
        return redirect(reverse("agreements:detail", args=[agreement.pk]))
    try:
        draft = services.draft_start(by=request.user, agreement=agreement)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(reverse("agreements:detail", args=[agreement.pk]))
    messages.success(request, f"Draft version {draft.number} started. Make your changes and propose it.")
    return redirect(version_url(draft))


@login_required
@permission_declared(Permission.AGREEMENT_PROPOSE)
def draft_edit(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    version = version_or_404(agreement, number)
    if version.status != S.DRAFT:
        return redirect(version_url(version))
    require(request, Permission.AGREEMENT_PROPOSE, agreement.partnership)
    conflict: services.DraftConflict | None = None
    errors: list[str] = []
    if request.method == "POST":
        forms = _editor_forms(version, request.POST)
        ok = all(
            [
                forms["fields_form"].is_valid(),
                forms["clause_formset"].is_valid(),
                forms["contribution_formset"].is_valid(),
            ]
        )
        if ok:
            fields_form = forms["fields_form"]
            try:
                saved = services.draft_save(
                    by=request.user,
                    version=version,
                    expected_lock_version=fields_form.cleaned_data["lock_version"],
                    clauses=_submitted_clauses(forms["clause_formset"]),
                    contributions=_submitted_contributions(forms["contribution_formset"]),
                    **fields_form.service_fields(),
                )
                if request.POST.get("action") == "propose":
                    services.draft_propose(
                        by=request.user, version=saved, expected_lock_version=saved.lock_version
                    )
                    messages.success(
                        request,
                        f"Version {saved.number} proposed. Members can now comment, and signatories sign.",
                    )
                    return redirect(reverse("agreements:proposal", args=[agreement.pk, saved.number]))
            except services.DraftConflict as error:
                conflict = error
                # keep the user's text; save against the newer lock version next time
                data = request.POST.copy()
                data["lock_version"] = str(error.current_lock_version)
                forms = _editor_forms(version, data)
                for form in (forms["fields_form"], forms["clause_formset"], forms["contribution_formset"]):
                    form.is_valid()
            except ValidationError as error:
                errors = list(error.messages)
            else:
                messages.success(request, f"Draft version {saved.number} saved.")
                return redirect(reverse("agreements:draft_edit", args=[agreement.pk, saved.number]))
    else:
        forms = _editor_forms(version)
    context = {
        "agreement": agreement,
        "partnership": agreement.partnership,
        "version": version,
        "conflict": conflict,
        "conflict_clauses": _labelled_clauses(conflict),
        "conflict_fields": _labelled_fields(conflict),
        "service_errors": errors,
        **forms,
    }
    return render(request, "agreements/draft_edit.html", context, status=409 if conflict else 200)


def _labelled_clauses(conflict: services.DraftConflict | None) -> list[tuple[str, str]]:
    if conflict is None:
        return []
    labels = dict(ClauseKind.choices)
    return [(labels.get(c.kind, c.kind), c.text) for c in conflict.current.clauses]


def _labelled_fields(conflict: services.DraftConflict | None) -> list[tuple[str, str]]:
    """The other editor's structured fields, in plain English, shown beside the user's form."""
    if conflict is None:
        return []
    fields = conflict.current.fields
    org_ids = [int(fields[n]) for n in ("chair_organisation_id", "host_organisation_id") if fields.get(n)]
    names = {str(o.pk): o.name for o in Organisation.objects.filter(pk__in=org_ids)}
    return [
        (label, presenters.field_value(name, fields.get(name), names))
        for name, label in presenters.FIELD_LABELS.items()
    ]


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def proposal(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    version = version_or_404(agreement, number)
    if version.status != S.PROPOSED:
        return redirect(version_url(version))
    partnership = agreement.partnership
    represented = presenters.represented_organisations(user=request.user, partnership=partnership)
    signatory_for = presenters.signatory_organisations(user=request.user, partnership=partnership)
    positions = {p.organisation_id: p for p in version.positions.all()}
    threads = selectors.comment_threads(version=version)
    can_comment = has_permission(request.user, Permission.AGREEMENT_PROPOSE, partnership)
    context = {
        "agreement": agreement,
        "partnership": partnership,
        "version": version,
        "altered": altered_versions(version),
        "clauses": [(c, threads.get(c.pk, [])) for c in version.clauses.all()],
        "general_threads": threads.get(None, []),
        "fields": presenters.field_rows(version),
        "signing": selectors.signing_status(version=version),
        "positions": list(version.positions.all()),
        "position_forms": [
            (
                o,
                PositionForm(prefix=f"org{o.pk}", initial=_position_initial(positions.get(o.pk))),
            )
            for o in represented
        ],
        "signatory_for": [
            o for o in signatory_for if o.pk not in {s.organisation_id for s in version.signatures.all()}
        ],
        "can_sign": bool(signatory_for),
        "can_comment": can_comment,
        "can_withdraw": _can_withdraw(request, version),
        "sign_form": SignForm(initial={"content_hash": version.content_hash}),
    }
    return render(request, "agreements/proposal.html", context)


def _position_initial(position: Any) -> dict[str, str]:
    return {} if position is None else {"position": position.position, "reason": position.reason}


def _can_withdraw(request: AuthedRequest, version: AgreementVersion) -> bool:
    partnership = version.agreement.partnership
    return has_permission(request.user, Permission.PARTNERSHIP_EDIT, partnership) or (
        version.proposed_by_id == request.user.pk
        and has_permission(request.user, Permission.AGREEMENT_PROPOSE, partnership)
    )


def _proposal_url(version: AgreementVersion, anchor: str = "") -> str:
    url = reverse("agreements:proposal", args=[version.agreement_id, version.number])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_POST
@permission_declared(Permission.AGREEMENT_PROPOSE)
def comment_add(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    version = version_or_404(agreement, number)
    require(request, Permission.AGREEMENT_PROPOSE, agreement.partnership)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write your comment before adding it.")
        return redirect(version_url(version))
    clause = (
        version.clauses.filter(pk=form.cleaned_data["clause"]).first()
        if form.cleaned_data["clause"]
        else None
    )
    parent = None
    if form.cleaned_data["parent"]:
        parent = Comment.objects.filter(version=version, pk=form.cleaned_data["parent"]).first()
        if parent is None:
            raise Http404("No such comment")
    represented = presenters.represented_organisations(user=request.user, partnership=agreement.partnership)
    try:
        comment = services.comment_add(
            by=request.user,
            version=version,
            text=form.cleaned_data["text"],
            clause=clause,
            parent=parent,
            organisation=represented[0] if represented else None,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(version_url(version))
    messages.success(request, "Comment added.")
    return redirect(_proposal_url(version, f"comment-{comment.pk}"))


@login_required
@require_POST
@permission_declared(Permission.ORGANISATION_REPRESENT)
def position_record(request: AuthedRequest, pk: int, number: int, org_pk: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    version = version_or_404(agreement, number)
    require(request, Permission.AGREEMENT_PROPOSE, agreement.partnership)
    represented = presenters.represented_organisations(user=request.user, partnership=agreement.partnership)
    organisation = next((o for o in represented if o.pk == org_pk), None)
    if organisation is None:
        raise PermissionDenied
    form = PositionForm(request.POST, prefix=f"org{org_pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_proposal_url(version, "positions"))
    try:
        services.position_record(
            by=request.user, version=version, organisation=organisation, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Position recorded for {organisation.name}.")
    return redirect(_proposal_url(version, "positions"))


@login_required
@require_POST
@permission_declared(Permission.PARTNERSHIP_EDIT)
def proposal_withdraw(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    version = version_or_404(agreement, number)
    if not _can_withdraw(request, version):
        raise PermissionDenied
    try:
        services.proposal_withdraw(by=request.user, version=version)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(version_url(version))
    messages.success(request, f"Version {version.number} withdrawn.")
    return redirect(reverse("agreements:detail", args=[agreement.pk]))


@login_required
@require_POST
@permission_declared(Permission.PARTNERSHIP_EDIT)
def proposal_revise(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    version = version_or_404(agreement, number)
    if not _can_withdraw(request, version):
        raise PermissionDenied
    try:
        draft = services.proposal_revise(by=request.user, version=version)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(version_url(version))
    messages.success(
        request, f"Version {version.number} withdrawn; draft version {draft.number} starts from its text."
    )
    return redirect(version_url(draft))


@login_required
@require_POST
@permission_declared(Permission.AGREEMENT_SIGN)
def version_sign(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    agreement = agreement_or_404(request, pk)
    version = version_or_404(agreement, number)
    orgs = presenters.signatory_organisations(user=request.user, partnership=agreement.partnership)
    form = SignForm(request.POST)
    if not orgs:
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, services.STALE_HASH_MESSAGE)
        return redirect(version_url(version))
    signed_any = False
    was_proposed = version.status == S.PROPOSED  # before signing: version_sign refreshes `version`
    for organisation in orgs:
        if version.signatures.filter(organisation=organisation).exists():
            continue
        try:
            services.version_sign(
                by=request.user,
                version=version,
                organisation=organisation,
                content_hash=form.cleaned_data["content_hash"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            signed_any = True
            messages.success(request, f"You signed version {version.number} for {organisation.name}.")
    version.refresh_from_db()
    if signed_any and was_proposed and version.status == S.IN_FORCE:
        messages.success(request, f"Every member has signed: version {version.number} is now in force.")
    if version.status == S.IN_FORCE:
        return redirect(reverse("agreements:detail", args=[agreement.pk]))
    return redirect(version_url(version))
