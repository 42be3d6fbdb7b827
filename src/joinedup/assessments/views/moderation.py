"""Moderating comments before their release: a coordinator reads the comments waiting for the next release and
takes words out of one (a name, say). The page shows no time, organisation or respondent, and comments only in
whole batches of k answers (assessments.moderation.comments_waiting)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from joinedup.accounts.http import AuthedRequest
from joinedup.assessments.forms import RedactForm
from joinedup.assessments.moderation import MARKER, comment_redact, comments_waiting
from joinedup.assessments.services import wave_instrument
from joinedup.assessments.views.results import assessment_wave
from joinedup.core.http import paginate
from joinedup.core.permissions import Permission, permission_declared, require
from joinedup.register.forms import add_service_errors


@login_required
@permission_declared(Permission.PARTNERSHIP_EDIT)
def comments(request: AuthedRequest, pk: int) -> HttpResponse:
    wave = assessment_wave(request, pk)
    require(request, Permission.PARTNERSHIP_EDIT, wave.partnership)
    waiting = comments_waiting(wave)
    bound: RedactForm | None = None
    if request.method == "POST":
        ref = request.POST.get("ref", "")
        index = next((i for i, c in enumerate(waiting.comments) if c.ref == ref), None)
        if index is None:
            messages.error(
                request, "That comment is no longer waiting (it may have been released). Nothing was changed."
            )
            return redirect("assessments:comments", wave.pk)
        bound = RedactForm(request.POST, auto_id=f"id_%s_{index}")
        if bound.is_valid():
            comment = waiting.comments[index]
            try:
                comment_redact(
                    wave=wave,
                    response_id=comment.response_id,
                    dimension=comment.dimension,
                    remove=bound.cleaned_data["remove"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(bound, error)
            else:
                messages.success(request, f"Done: the words now read “{MARKER}”. Nothing else was changed.")
                return redirect(f"{request.path}#comment-{index}")
    titles = {d.key: d.title for d in wave_instrument(wave).dimensions}
    rows: list[dict[str, Any]] = [
        {
            "index": index,
            "comment": comment,
            "about": titles.get(comment.dimension, comment.dimension),
            "form": bound
            if bound is not None and bound.data.get("ref") == comment.ref
            else RedactForm(initial={"ref": comment.ref}, auto_id=f"id_%s_{index}"),
        }
        for index, comment in enumerate(waiting.comments)
    ]
    context = {
        "wave": wave,
        "partnership": wave.partnership,
        "waiting": waiting,
        "k": wave.min_group_size,
        "marker": MARKER,
        **paginate(request, rows),
    }
    return render(request, "assessments/comments.html", context, status=400 if bound is not None else 200)
