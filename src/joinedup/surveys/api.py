"""Surveys API: a partnership's waves, one wave with its live response rates, and (for those who run it) its
invitations; and `SurveyLinkAuth`, the authentication of a response sent through the API with a survey link.

A wave whose partnership the caller may not see answers 404. Invitations need PARTNERSHIP_EDIT, as on the invite
page (403 otherwise).

A respondent has no account: the survey link is the key, as on the answer pages. A wave kind's submission
endpoint (assessments: `POST /assessment-responses`) uses `SurveyLinkAuth`, which reads the link's token from
the `Survey-Link` header (never the URL, so it stays out of access logs) and answers 401 when it opens nothing.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from ninja.security import APIKeyHeader

from joinedup.core.api_pages import CursorPagination
from joinedup.core.api_rules import ProblemError
from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.register import selectors as register_selectors
from joinedup.surveys import selectors
from joinedup.surveys.models import Wave
from joinedup.surveys.schemas import RateOut, WaveDetailOut, WaveInvitationOut, WaveOut
from joinedup.surveys.services import CLOSED_FOR_ANSWERS, LinkTarget, link_resolve
from joinedup.surveys.throttle import open_link_start_allowed

router = Router(tags=["surveys"])
LINK_HEADER = "Survey-Link"


class SurveyLinkAuth(APIKeyHeader):
    """`Survey-Link: <the token of an invitation, resume or open link>`; the request gets `survey_link`, the
    link's target (surveys.services.LinkTarget)."""

    param_name = LINK_HEADER
    openapi_description = "The token from a survey link (the part after /s/)."

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        target = link_resolve(key) if key and len(key) <= 200 and key.isprintable() else None
        if target is None:
            raise AuthenticationError(message="This survey link opens nothing: check it was copied whole.")
        request.survey_link = target  # type: ignore[attr-defined]
        return target


def link_target(request: HttpRequest) -> LinkTarget:
    target: LinkTarget = request.survey_link  # type: ignore[attr-defined]
    return target


def link_for_answers(request: HttpRequest, *, kind: str, what: str) -> LinkTarget:
    """The Survey-Link's target when it may take answers of `kind` now (the answer endpoints of the apps that
    define a kind): 404 for another kind of survey, 409 once sent or while the survey is not open, 429 for too
    many starts through an open link."""
    target = link_target(request)
    wave = target.wave
    if wave.kind != kind:
        raise ProblemError(404, f"This link is not for {what}.")
    if target.answered:
        raise ProblemError(409, "These answers have been sent already.")
    if not wave.accepting_answers:
        raise ProblemError(
            409,
            CLOSED_FOR_ANSWERS if wave.state == "closed" else "This survey is not open yet.",
        )
    if target.response is None and target.invitation is None and not open_link_start_allowed(request, wave):
        raise ProblemError(
            429, "Many answers have been started through this link in a short time; try again in an hour."
        )
    return target


def _wave_out(wave: Wave, cls: type[WaveOut] = WaveOut, **extra: Any) -> Any:
    return cls(
        id=wave.pk,
        partnership_id=wave.partnership_id,
        kind=wave.kind,
        title=wave.title,
        anonymity=wave.anonymity,
        min_group_size=wave.min_group_size,
        opens=wave.opens,
        closes=wave.closes,
        status=wave.state,
        invited=getattr(wave, "invited", 0),
        submitted=getattr(wave, "submitted", 0),
        **extra,
    )


@router.get("/partnerships/{partnership_id}/waves", response=list[WaveOut])
@paginate(CursorPagination, descending=True)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_waves(
    request: HttpRequest,
    partnership_id: int,
    kind: str = Query(
        "", max_length=12, description="Only waves of this kind (assessment, relationship ...)."
    ),
    status: str = Query("", pattern=r"^(draft|open|closed)?$", description="Only waves in this status."),
) -> Any:
    """The partnership's survey waves, the most recently created first, with live counts."""
    partnership = register_selectors.partnership_get(user=request.user, pk=partnership_id)
    if partnership is None:
        raise Http404("No such partnership")
    waves = [_wave_out(w) for w in selectors.wave_list(user=request.user, partnership=partnership, kind=kind)]
    return [w for w in waves if not status or w.status == status]


def wave_or_404(request: HttpRequest, wave_id: int) -> Wave:
    wave = selectors.wave_list(user=request.user).filter(pk=wave_id).first()
    if wave is None or not has_permission(request.user, Permission.PARTNERSHIP_VIEW, wave.partnership):
        raise Http404("No such wave")
    return wave


@router.get("/waves/{wave_id}", response=WaveDetailOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_wave(request: HttpRequest, wave_id: int) -> Any:
    """One wave with its response rate by organisation (live, as on the wave's page)."""
    wave = wave_or_404(request, wave_id)
    rates = [
        RateOut(
            organisation_id=r.organisation_id,
            organisation=r.organisation,
            invited=r.invited,
            submitted=r.submitted,
            rate=r.rate,
        )
        for r in selectors.response_rates(wave=wave)
    ]
    return _wave_out(wave, WaveDetailOut, rates=rates)


@router.get("/waves/{wave_id}/invitations", response=list[WaveInvitationOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_EDIT)
def list_wave_invitations(request: HttpRequest, wave_id: int) -> Any:
    """Who was invited to answer the wave, when the invitation and its reminders went (for those who run it)."""
    wave = wave_or_404(request, wave_id)
    if not has_permission(request.user, Permission.PARTNERSHIP_EDIT, wave.partnership):
        raise ProblemError(403, "Your account cannot run this partnership's surveys.")
    return wave.invitations.all()
