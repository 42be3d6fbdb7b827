"""Pages anyone can open without an account: a feedback form by its short link, and a partnership's
"you said, we did" page."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from joinedup.core.permissions import Access, permission_declared
from joinedup.register.forms import add_service_errors
from joinedup.register.models import Partnership
from joinedup.voice import selectors, services
from joinedup.voice.forms import AnswerForm
from joinedup.voice.instrument import shipped
from joinedup.voice.models import FeedbackForm
from joinedup.voice.throttle import submit_allowed


def _form_or_404(code: str) -> FeedbackForm:
    form = selectors.form_by_code(code)
    if form is None:
        raise Http404("There is no feedback form at this address")
    return form


@never_cache
@permission_declared(Access.PUBLIC)
def answer(request: HttpRequest, code: str) -> HttpResponse:
    form = _form_or_404(code)
    context = {"feedback_form": form, "partnership": form.partnership}
    if not form.is_open:
        return render(request, "voice/answer_closed.html", context, status=410)
    instrument = shipped()
    answers = AnswerForm(
        request.POST or None,
        instrument=instrument,
        service=form.service_label,
        initial={"once": secrets.token_urlsafe(18)},
    )
    if request.method == "POST" and answers.is_valid():
        if answers.cleaned_data["website"]:  # only a robot fills the field people never see
            return redirect("feedback:thanks", code=form.code)
        if not submit_allowed(request, form):
            return render(request, "voice/answer_busy.html", context, status=429)
        data = answers.cleaned_data
        try:
            services.response_submit(
                form=form,
                overall=data["overall"],
                statements={s.key: data.get(s.key) or "" for s in instrument.statements},
                comment=data.get("comments") or "",
                once=data.get("once") or "",
            )
        except services.AlreadyReceived:
            return redirect("feedback:thanks", code=form.code)  # the same page sent again: kept once
        except ValidationError as exc:
            add_service_errors(answers, exc)
        else:
            return redirect("feedback:thanks", code=form.code)
    return render(
        request,
        "voice/answer.html",
        {**context, "answers": answers, "instrument": instrument, "k": form.min_group_size},
    )


@permission_declared(Access.PUBLIC)
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    form = _form_or_404(code)
    return render(
        request, "voice/answer_thanks.html", {"feedback_form": form, "partnership": form.partnership}
    )


@permission_declared(Access.PUBLIC)
def public_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The partnership's "you said, we did" log and its published comments, for anyone. A partnership with no
    feedback form has no such page."""
    partnership = get_object_or_404(Partnership, pk=pk)
    if not FeedbackForm.objects.filter(partnership=partnership).exists():
        raise Http404("This partnership does not collect feedback here")
    released = selectors.results(partnership=partnership)
    return render(
        request,
        "voice/public_log.html",
        {
            "partnership": partnership,
            "log": selectors.log_for(partnership=partnership),
            "comments": selectors.published_comments(partnership=partnership, released=released),
            "released": released,
        },
    )
