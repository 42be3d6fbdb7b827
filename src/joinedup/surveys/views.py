"""Pages for running survey waves (coordinators) and the one respond URL people's links open.

Coordinators (PARTNERSHIP_EDIT) create and run waves; anyone who can see the partnership sees its waves and
their response rates. `/s/<token>/` resolves any link (invitation, resume or open link) and hands it to the
app that defines the kind of wave, through the registry of wave kinds (joinedup.core.registry).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.accounts.http import AuthedRequest
from joinedup.core.permissions import Access, Permission, has_permission, permission_declared, require
from joinedup.core.registry import wave_kinds
from joinedup.core.views import job_status_response
from joinedup.register.forms import add_service_errors
from joinedup.register.views.common import partnership_or_404
from joinedup.surveys import selectors, services
from joinedup.surveys.choices import WaveStatus
from joinedup.surveys.forms import InviteForm, WaveForm
from joinedup.surveys.models import Wave
from joinedup.surveys.throttle import open_link_start_allowed


def wave_or_404(request: HttpRequest, pk: int) -> Wave:
    """A wave in a partnership the user may see; any other answers 404."""
    wave = get_object_or_404(Wave.objects.select_related("partnership"), pk=pk)
    partnership_or_404(request, wave.partnership_id)
    return wave


def link_for(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("surveys:respond", args=[token]))


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def wave_list(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    waves = selectors.wave_list(user=request.user, partnership=partnership)
    context = {
        "partnership": partnership,
        "waves": waves,
        "can_run": has_permission(request.user, Permission.PARTNERSHIP_EDIT, partnership),
    }
    return render(request, "surveys/wave_list.html", context)


@login_required
@permission_declared(Permission.PARTNERSHIP_EDIT)
def wave_create(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_EDIT, partnership)
    kinds = [entry.key for entry in wave_kinds]
    initial = {"kind": request.GET.get("kind") or (kinds[0] if kinds else "")}
    form = WaveForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = services.wave_create(
                by=request.user,
                partnership=partnership,
                kind=data["kind"],
                title=data["title"],
                opens=data["opens"],
                closes=data["closes"],
                instrument_key=data["instrument_key"],
                instrument=form.instrument,
                audience=data["audience"],
                anonymity=data["anonymity"],
                min_group_size=data["min_group_size"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{wave.title} created. Open it when you are ready for answers.")
            return redirect("surveys:wave_detail", wave.pk)
    context = {
        "form": form,
        "title": f"Start a survey wave for {partnership.name}",
        "partnership": partnership,
        "cancel_url": reverse("surveys:wave_list", args=[partnership.pk]),
    }
    return render(request, "surveys/wave_form.html", context)


def results_url(wave: Wave, user: Any) -> str | None:
    """Where a wave's results are shown (the page the app that defines its kind registered), if `user` may
    see them."""
    entry = wave_kinds.get(wave.kind)
    if entry is None or not has_permission(user, entry.results_permission, wave.partnership):
        return None
    return reverse(entry.results_url_name, args=[wave.pk])


def _wave_page(request: AuthedRequest, wave: Wave, **extra: Any) -> HttpResponse:
    can_run = has_permission(request.user, Permission.PARTNERSHIP_EDIT, wave.partnership)
    context = {
        "results_url": results_url(wave, request.user),
        "wave": wave,
        "partnership": wave.partnership,
        "rates": selectors.response_rates(wave=wave),
        "can_run": can_run,
        "invited": wave.invitations.count(),
        "submitted": selectors.submitted_responses(wave=wave).count(),
        **extra,
    }
    if request.htmx and request.GET.get("part") == "rates":
        return render(request, "surveys/_rates.html", context)
    if can_run and request.htmx and request.GET.get("part") == "sending":
        sending = selectors.wave_sending(wave=wave, unfinished=False)
        if sending is None:
            raise Http404("Nothing has been sent for this wave")
        page_url = reverse("surveys:wave_detail", args=[wave.pk])
        return job_status_response(request, sending, page_url=page_url)
    context["sending"] = selectors.wave_sending(wave=wave) if can_run else None
    return render(request, "surveys/wave_detail.html", context)


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def wave_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _wave_page(request, wave_or_404(request, pk))


@login_required
@require_POST
@permission_declared(Permission.PARTNERSHIP_EDIT)
def wave_open(request: AuthedRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_EDIT, wave.partnership)
    try:
        token = services.wave_open(by=request.user, wave=wave, open_link=bool(request.POST.get("open_link")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:wave_detail", wave.pk)
    if token is None:
        messages.success(request, f"{wave.title} is open for answers.")
        return redirect("surveys:wave_detail", wave.pk)
    # The open link is shown this once: only its hash is kept.
    return _wave_page(request, wave, open_link=link_for(request)(token))


@login_required
@require_POST
@permission_declared(Permission.PARTNERSHIP_EDIT)
def wave_close(request: AuthedRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_EDIT, wave.partnership)
    services.wave_close(by=request.user, wave=wave)
    messages.success(request, f"{wave.title} is closed. No more answers can be sent.")
    return redirect("surveys:wave_detail", wave.pk)


@login_required
@permission_declared(Permission.PARTNERSHIP_EDIT)
def wave_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_EDIT, wave.partnership)
    people, organisation_of = selectors.representatives_to_invite(wave=wave)
    form = InviteForm(request.POST or None, representatives=people)
    if wave.status == WaveStatus.CLOSED:
        messages.error(request, "This wave has closed, so nobody else can be invited.")
        return redirect("surveys:wave_detail", wave.pk)
    if request.method == "POST" and form.is_valid():
        recipients = [services.Recipient(email) for email in form.email_list]
        recipients += [
            services.Recipient(p.email, organisation=organisation_of.get(p.pk), person=p)
            for p in form.cleaned_data["representatives"]
        ]
        try:
            created = services.invitations_send(
                by=request.user, wave=wave, recipients=recipients, link_for=link_for(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            skipped = len({r.email.lower() for r in recipients}) - len(created)
            note = f" {skipped} had been invited already." if skipped else ""
            sent = "1 invitation is" if len(created) == 1 else f"{len(created)} invitations are"
            messages.success(request, f"{sent} being sent.{note}")
            return redirect("surveys:wave_detail", wave.pk)
    context = {
        "form": form,
        "wave": wave,
        "partnership": wave.partnership,
        "title": f"Invite people to answer {wave.title}",
        "cancel_url": reverse("surveys:wave_detail", args=[wave.pk]),
    }
    return render(request, "surveys/wave_invite.html", context)


@login_required
@require_POST
@permission_declared(Permission.PARTNERSHIP_EDIT)
def wave_remind(request: AuthedRequest, pk: int) -> HttpResponse:
    wave = wave_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_EDIT, wave.partnership)
    try:
        count = services.reminders_send(by=request.user, wave=wave, link_for=link_for(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{count} reminders are being sent to people who have not answered yet.")
    return redirect("surveys:wave_detail", wave.pk)


# ---- surveys the signed-in user was invited to answer -------------------------------------------------


@login_required
@permission_declared(Access.SIGNED_IN)  # only the user's own invitations are listed or sent again
def answer_list(request: AuthedRequest) -> HttpResponse:
    """The surveys the user was invited to and has not answered, each with a button to e-mail a new link (the
    link itself cannot be shown: only its hash is kept). Answers are given by the link, never by the account."""
    if request.method == "POST":
        try:
            pk = int(request.POST.get("invitation", ""))
            invitation = services.invitation_link_again(by=request.user, pk=pk, link_for=link_for(request))
        except ValueError:
            messages.error(request, "Choose a survey.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"A new link is on its way to {invitation.email}. Links in earlier e-mails no longer work; "
                "answers you saved stay with the new link.",
            )
        return redirect("surveys:answer_list")
    invitations = selectors.invitations_to_answer(user=request.user, today=timezone.localdate())
    return render(request, "surveys/answer_list.html", {"invitations": invitations})


# ---- the respond link --------------------------------------------------------------------------------


def link_problem(request: HttpRequest, title: str, body: str, status: int = 404) -> HttpResponse:
    return render(request, "surveys/link_problem.html", {"title": title, "body": body}, status=status)


@permission_declared(Access.PUBLIC)
def respond(request: HttpRequest, token: str, step: str = "") -> HttpResponse:
    """Any survey link. No login: the link itself is the key."""
    target = services.link_resolve(token)
    if target is None:
        return link_problem(
            request,
            "This link does not work",
            "The link may have been copied wrongly, or replaced by a newer one in a reminder e-mail. "
            "If you have sent your answers already, thank you: in an anonymous survey the link stops working "
            "once they are sent, so that nobody can find them from it. "
            "Check the link in your most recent e-mail, or ask the person who sent it for a new one.",
        )
    entry = wave_kinds.get(target.wave.kind)
    if entry is None:
        raise Http404("Surveys of this kind cannot be answered here.")
    submitted = target.response is not None and target.response.is_submitted
    if target.wave.past_closing and not submitted:
        return link_problem(
            request,
            "This survey has closed",
            f"Thank you for wanting to take part. It closed on {target.wave.closes:%-d %B %Y}, so answers can "
            "no longer be sent.",
            status=410,
        )
    fresh_open_link = target.response is None and target.invitation is None
    if fresh_open_link and request.method == "POST" and not open_link_start_allowed(request, target.wave):
        return link_problem(
            request,
            "Please try again later",
            "Many answers have been started through this link in a short time, so it is resting for a while. "
            "Please come back in an hour. Answers already started can still be finished with their own link.",
            status=429,
        )
    return entry.respond(request, target, token, step)
