"""Assessments API, responses: a respondent sends their answers in one request, with the survey link as the key
(`Survey-Link` header, surveys.api.SurveyLinkAuth), through the same services as the answer pages: start (or
carry on) the response, save the answers, send them in (`assessments.services.response_submit`, which releases
results only when a batch is due).

All or nothing. An anonymous wave's response is cut loose as it is sent (ADR 7), and the answer gives no id.
Answers already sent with this link answer 409; a wave not open, 409; too many starts through an open link, 429.
A retried request with the same `Idempotency-Key` is answered again and stored once; without a key, a second
send with an invitation link is refused (409) and with an open link starts another response, as the pages do.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from joinedup.analysis.instruments import Instrument
from joinedup.assessments import services
from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.assessments.forms import DONT_KNOW
from joinedup.assessments.schemas import AssessmentResponseIn
from joinedup.core.api_rules import Problem, ProblemError, body_schema, read_body, refusal
from joinedup.core.permissions import Access, permission_declared
from joinedup.register.models import Organisation
from joinedup.surveys import services as survey_services
from joinedup.surveys.api import SurveyLinkAuth, link_for_answers
from joinedup.surveys.choices import Anonymity
from joinedup.surveys.models import Wave
from joinedup.surveys.schemas import SubmittedOut

router = Router(tags=["assessments"])
MAX_COMMENT = 2000


def _answer_problems(instrument: Instrument, body: AssessmentResponseIn) -> list[tuple[str, str]]:
    keys = set(instrument.item_keys)
    scale = instrument.scale
    problems = []
    for key, value in body.answers.items():
        where = f"answers.{key}"
        if key not in keys:
            problems.append((where, "no such statement in this survey"))
        elif value == DONT_KNOW and scale.dont_know:
            continue
        elif isinstance(value, bool) or not isinstance(value, int) or not scale.min <= value <= scale.max:
            allowed = f"a whole number from {scale.min} to {scale.max}" + (
                ' or "dk"' if scale.dont_know else ""
            )
            problems.append((where, f"must be {allowed}"))
    dimensions = {d.key for d in instrument.dimensions}
    for key, text in body.comments.items():
        if key not in dimensions:
            problems.append((f"comments.{key}", "no such section in this survey"))
        elif len(text) > MAX_COMMENT:
            problems.append((f"comments.{key}", f"at most {MAX_COMMENT} characters"))
    return problems


def _organisation(wave: Wave, pk: int | None) -> Organisation | None:
    if pk is None:
        return None
    found = Organisation.objects.filter(
        pk=pk, memberships__partnership=wave.partnership_id, memberships__left__isnull=True
    ).first()
    if found is None:
        raise ProblemError(
            422,
            "That organisation is not a current member of the partnership.",
            invalid_params=[("organisation_id", "not a current member")],
        )
    return found


@router.post(
    "/assessment-responses",
    auth=[SurveyLinkAuth()],
    response={201: SubmittedOut, 404: Problem, 409: Problem, 429: Problem},
    openapi_extra=body_schema(AssessmentResponseIn),
)
@permission_declared(Access.PUBLIC)  # the survey link is the key, as on the answer pages
def submit_response(request: HttpRequest) -> Any:
    """Send a respondent's answers to the assessment the `Survey-Link` header's link opens."""
    target = link_for_answers(request, kind=ASSESSMENT_KIND, what="an assessment survey")
    wave, invitation = target.wave, target.invitation
    body = read_body(request, AssessmentResponseIn)
    problems = _answer_problems(services.wave_instrument(wave), body)
    if wave.anonymity == Anonymity.NAMED and not body.respondent_name.strip():
        problems.append(("respondent_name", "this survey shows answers with names: give yours"))
    if problems:
        raise ProblemError(422, "Some answers were refused: see each one.", invalid_params=problems)
    ask_organisation = invitation is None or invitation.organisation_id is None
    details: dict[str, Any] = {
        "organisation": _organisation(wave, body.organisation_id) if ask_organisation else None,
        "profession": body.profession or "",
        "role_level": body.role_level or "",
        "respondent_name": body.respondent_name.strip(),
    }
    try:
        with transaction.atomic():
            response = target.response
            if response is None:
                response, _token = survey_services.response_start(wave=wave, invitation=invitation, **details)
            elif ask_organisation or any(details.values()):
                survey_services.response_describe(response=response, **details)
            survey_services.response_save(
                response=response, answers=dict(body.answers), comments=body.comments
            )
            response = services.response_submit(response=response)
    except ValidationError as exc:
        raise refusal(exc, status=409) from None
    assert response.submitted_on is not None
    return Status(201, SubmittedOut(wave_id=wave.pk, submitted_on=response.submitted_on))
