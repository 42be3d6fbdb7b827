"""Moderation: the queue of comments, one comment (publish, edit, withhold, tag, flag for safeguarding), themes,
the safeguarding lead's page and the "you said, we did" log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.core.permissions import Access, Permission, has_permission, permission_declared, require
from joinedup.register.forms import add_service_errors
from joinedup.register.views.common import partnership_or_404
from joinedup.voice import selectors, services
from joinedup.voice.choices import CommentStatus
from joinedup.voice.forms import ModerateForm, SafeguardingForm, ThemeForm, YouSaidWeDidForm
from joinedup.voice.models import FeedbackComment


@permission_declared(Permission.FEEDBACK_MODERATE)
@login_required
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.FEEDBACK_MODERATE, partnership)
    status = request.GET.get("status", CommentStatus.WAITING)
    if status not in CommentStatus.values:
        status = CommentStatus.WAITING
    return render(
        request,
        "voice/moderation.html",
        {
            "partnership": partnership,
            "queue": selectors.moderation_queue(partnership=partnership, status=status),
            "status": status,
            "statuses": CommentStatus.choices,
        },
    )


def _comment_or_404(request: HttpRequest, pk: int) -> FeedbackComment:
    comment = selectors.comment_get(pk=pk)
    if comment is None:
        raise Http404("No such comment")
    partnership_or_404(request, comment.response.form.partnership_id)
    return comment


@permission_declared(Permission.FEEDBACK_MODERATE)
@login_required
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(request, pk)
    partnership = comment.response.form.partnership
    require(request, Permission.FEEDBACK_MODERATE, partnership)
    form = ModerateForm(
        request.POST or None,
        partnership=partnership,
        initial={"text": comment.text, "themes": list(comment.themes.all())},
    )
    flag = SafeguardingForm(request.POST if request.POST.get("action") == "safeguarding" else None)
    back = reverse("voice:moderation", args=[partnership.pk])
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "safeguarding":
                if flag.is_valid():
                    services.comment_flag_safeguarding(
                        by=request.user,
                        comment=comment,
                        note=flag.cleaned_data["note"],
                        link_for=request.build_absolute_uri,
                    )
                    messages.success(request, "The safeguarding lead has been told.")
                    return redirect("voice:comment", pk=comment.pk)
            elif form.is_valid():
                services.comment_themes_set(
                    by=request.user, comment=comment, themes=form.cleaned_data["themes"]
                )
                if action == "publish":
                    services.comment_publish(by=request.user, comment=comment, text=form.cleaned_data["text"])
                    messages.success(request, "The comment is published.")
                    return redirect(back)
                if action == "withhold":
                    services.comment_withhold(by=request.user, comment=comment)
                    messages.success(request, "The comment is withheld. Nobody but moderators will see it.")
                    return redirect(back)
                messages.success(request, "The themes are saved.")
                return redirect("voice:comment", pk=comment.pk)
        except ValidationError as exc:
            add_service_errors(flag if action == "safeguarding" else form, exc)
    return render(
        request,
        "voice/comment.html",
        {"comment": comment, "partnership": partnership, "form": form, "flag": flag, "back": back},
    )


@permission_declared(Access.SIGNED_IN)
@login_required
def safeguarding(request: HttpRequest, pk: int) -> HttpResponse:
    """A flagged comment, for the form's safeguarding lead (and the partnership's moderators)."""
    comment = selectors.comment_get(pk=pk)
    if comment is None or not comment.safeguarding:
        raise Http404("No such concern")
    form = comment.response.form
    is_lead = form.safeguarding_lead_id == request.user.pk
    if not is_lead and not has_permission(request.user, Permission.FEEDBACK_MODERATE, form.partnership):
        raise Http404("No such concern")
    if request.method == "POST" and is_lead:
        services.safeguarding_seen(by=request.user, comment=comment)
        messages.success(request, "Marked as dealt with.")
        return redirect("home")
    return render(
        request,
        "voice/safeguarding.html",
        {"comment": comment, "partnership": form.partnership, "is_lead": is_lead},
    )


@permission_declared(Permission.FEEDBACK_MODERATE)
@login_required
def themes(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.FEEDBACK_MODERATE, partnership)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_save(by=request.user, partnership=partnership, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("voice:themes", pk=partnership.pk)
    return render(
        request,
        "voice/themes.html",
        {"partnership": partnership, "themes": selectors.themes_for(partnership=partnership), "form": form},
    )


@permission_declared(Permission.FEEDBACK_MODERATE)
@login_required
def log_manage(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.FEEDBACK_MODERATE, partnership)
    form = YouSaidWeDidForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, ident = form.split(data["record"])
        _kind, indicator = form.split(data["indicator"]) if data["indicator"] else ("", None)
        try:
            services.you_said_we_did_save(
                by=request.user,
                partnership=partnership,
                theme=data["theme"],
                you_said=data["you_said"],
                we_did=data["we_did"],
                record_kind=kind,
                record_id=ident,
                indicator_id=indicator,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The entry is saved and shown on the public page.")
            return redirect("voice:log", pk=partnership.pk)
    return render(
        request,
        "voice/log.html",
        {"partnership": partnership, "log": selectors.log_for(partnership=partnership), "form": form},
    )
