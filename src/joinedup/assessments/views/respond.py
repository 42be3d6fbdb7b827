"""The pages a respondent sees after opening a survey link: about you, one page per dimension, check your
answers, sent. No login (the link is the key), no JavaScript needed, plain English.

The surveys app resolves the link and calls `respond(request, target, token, step)`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from joinedup.analysis.instruments import Instrument
from joinedup.assessments import services
from joinedup.assessments.forms import COMMENT_FIELD, DONT_KNOW, AboutYouForm, DimensionForm, initial_for
from joinedup.register.models import Organisation
from joinedup.surveys import services as survey_services
from joinedup.surveys.choices import Anonymity, WaveStatus
from joinedup.surveys.models import Response, Wave
from joinedup.surveys.services import LinkTarget
from joinedup.surveys.views import link_problem

ABOUT, CHECK, SAVED, SENT = "about-you", "check", "saved", "sent"


def _step_url(token: str, step: str) -> str:
    return reverse("surveys:respond_step", args=[token, step])


def _members(wave: Wave) -> Any:
    return (
        Organisation.objects.filter(memberships__partnership=wave.partnership, memberships__left__isnull=True)
        .distinct()
        .order_by("name")
    )


def respond(request: HttpRequest, target: LinkTarget, token: str, step: str = "") -> HttpResponse:
    wave, response = target.wave, target.response
    if target.answered:
        return render(request, "assessments/respond_sent.html", {"wave": wave, "fresh": step == SENT})
    if wave.status != WaveStatus.OPEN:
        closed = wave.status == WaveStatus.CLOSED
        return link_problem(
            request,
            "This survey has closed" if closed else "This survey is not open yet",
            "Thank you for wanting to take part. "
            + ("Answers can no longer be sent." if closed else f"It opens on {wave.opens:%-d %B %Y}."),
            status=410 if closed else 403,
        )
    instrument = services.wave_instrument(wave)
    context: dict[str, Any] = {
        "wave": wave,
        "instrument": instrument,
        "token": token,
        "resume_url": request.build_absolute_uri(reverse("surveys:respond", args=[token])),
        "open_link_respondent": response is not None and response.invitation_id is None,
        "sections": len(instrument.dimensions),
    }
    if step in ("", ABOUT) and (response is None or step == ABOUT):
        return _about(request, target, token, context)
    if response is None:
        return redirect(_step_url(token, ABOUT))
    if step == "":
        return redirect(_step_url(token, _next_step(instrument, response)))
    if step == SAVED:
        return render(request, "assessments/respond_saved.html", context)
    if step == CHECK:
        return _check(request, response, token, instrument, context)
    keys = [d.key for d in instrument.dimensions]
    if step not in keys:
        return link_problem(request, "Page not found", "There is no such page in this survey.")
    return _dimension(request, response, token, instrument, keys.index(step), context)


def _next_step(instrument: Instrument, response: Response) -> str:
    """Where to carry on: the first section with nothing answered yet, else the check page."""
    for dimension in instrument.dimensions:
        if not any(key in response.answers for key in dimension.item_keys):
            return dimension.key
    return CHECK


def _about(request: HttpRequest, target: LinkTarget, token: str, context: dict[str, Any]) -> HttpResponse:
    wave, response, invitation = target.wave, target.response, target.invitation
    ask_organisation = invitation is None or invitation.organisation_id is None
    initial = {}
    if response is not None:
        initial = {
            "organisation": response.organisation_id,
            "profession": response.profession,
            "role_level": response.role_level,
            "respondent_name": response.respondent_name,
        }
    form = AboutYouForm(
        request.POST or None,
        initial=initial,
        organisations=_members(wave),
        ask_organisation=ask_organisation,
        named=wave.anonymity == Anonymity.NAMED,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = {
            "organisation": data.get("organisation"),
            "profession": data["profession"],
            "role_level": data["role_level"],
            "respondent_name": data.get("respondent_name", ""),
        }
        try:
            if response is None:
                response, token = survey_services.response_start(
                    wave=wave,
                    invitation=invitation,
                    token=token if invitation is not None else None,
                    **details,
                )
            else:
                survey_services.response_describe(response=response, **details)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(_step_url(token, context["instrument"].dimensions[0].key))
    context.update(
        {
            "form": form,
            "organisation": invitation.organisation
            if invitation is not None and not ask_organisation
            else None,
        }
    )
    return render(request, "assessments/respond_about.html", context)


def _dimension(
    request: HttpRequest,
    response: Response,
    token: str,
    instrument: Instrument,
    index: int,
    context: dict[str, Any],
) -> HttpResponse:
    dimension = instrument.dimensions[index]
    form = DimensionForm(
        request.POST or None,
        dimension=dimension,
        scale=instrument.scale,
        initial=initial_for(response.answers, response.comments, dimension),
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey_services.response_save(
                response=response,
                answers=form.answers(),
                comments={dimension.key: form.cleaned_data[COMMENT_FIELD]},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if "later" in request.POST:
                return redirect(_step_url(token, SAVED))
            following = (
                instrument.dimensions[index + 1].key if index + 1 < len(instrument.dimensions) else CHECK
            )
            return redirect(_step_url(token, following))
    previous = instrument.dimensions[index - 1].key if index else ABOUT
    context.update(
        {
            "form": form,
            "dimension": dimension,
            "number": index + 1,
            "back_url": _step_url(token, previous),
        }
    )
    return render(request, "assessments/respond_dimension.html", context)


def _check(
    request: HttpRequest, response: Response, token: str, instrument: Instrument, context: dict[str, Any]
) -> HttpResponse:
    if request.method == "POST":
        try:
            services.response_submit(response=response)
        except ValidationError as error:
            return link_problem(
                request, "Your answers could not be sent", " ".join(error.messages), status=409
            )
        return redirect(_step_url(token, SENT))
    labels = {str(instrument.scale.min + i): label for i, label in enumerate(instrument.scale.labels)}
    labels[DONT_KNOW] = "Don't know"
    sections = [
        {
            "dimension": dimension,
            "url": _step_url(token, dimension.key),
            "answers": [
                (item.text, labels.get(str(response.answers.get(item.key)), "Not answered"))
                for item in dimension.items
            ],
            "comment": response.comments.get(dimension.key, ""),
        }
        for dimension in instrument.dimensions
    ]
    organisation = response.organisation
    context.update(
        {
            "response": response,
            "organisation": organisation,
            "sections_answers": sections,
            "about_url": _step_url(token, ABOUT),
            "back_url": _step_url(token, instrument.dimensions[-1].key),
        }
    )
    return render(request, "assessments/respond_check.html", context)
