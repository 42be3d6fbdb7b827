"""Networks API, responses: a respondent sends their whole relationship survey in one request, with the survey
link as the key (`Survey-Link` header, surveys.api.SurveyLinkAuth), through the same services as the answer page:
start (or carry on) the response for their organisation, choose the organisations they work with, rate each, send
it in (`networks.services.relationship_submit`).

All or nothing. An anonymous wave's response is cut loose as it is sent (ADR 7), and the answer gives no id.
Answers already sent with this link answer 409, as does a wave that is not open; too many starts through an open
link, 429. A retried request with the same `Idempotency-Key` is answered again and stored once."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from joinedup.core.api_rules import Problem, ProblemError, body_schema, read_body, refusal
from joinedup.core.permissions import Access, permission_declared
from joinedup.networks import selectors, services
from joinedup.networks.choices import RELATIONSHIP_KIND
from joinedup.networks.schemas import RelationshipResponseIn
from joinedup.surveys import services as survey_services
from joinedup.surveys.api import SurveyLinkAuth, link_for_answers
from joinedup.surveys.schemas import SubmittedOut

router = Router(tags=["networks"])
RATINGS = (
    "trust_reliability",
    "trust_mission",
    "trust_openness",
    "value_power",
    "value_involvement",
    "value_resources",
)


@router.post(
    "/relationship-responses",
    auth=[SurveyLinkAuth()],
    response={201: SubmittedOut, 404: Problem, 409: Problem, 429: Problem},
    openapi_extra=body_schema(RelationshipResponseIn),
)
@permission_declared(Access.PUBLIC)  # the survey link is the key, as on the answer page
def submit_relationships(request: HttpRequest) -> Any:
    """Send the relationship survey the `Survey-Link` header's link opens: your organisation's ties, each rated."""
    target = link_for_answers(request, kind=RELATIONSHIP_KIND, what="a relationship survey")
    wave = target.wave
    body = read_body(request, RelationshipResponseIn)
    members = {o.pk: o for o in selectors.current_members(partnership=wave.partnership)}
    fixed = target.response.organisation if target.response is not None else None
    fixed = fixed or (target.invitation.organisation if target.invitation is not None else None)
    problems: list[tuple[str, str]] = []
    if fixed is None and body.organisation_id not in members:
        problems.append(("organisation_id", "say which current member organisation you answer for"))
    for i, tie in enumerate(body.ties):
        if tie.organisation_id not in members:
            problems.append((f"ties.{i}.organisation_id", "not a current member of the partnership"))
    seen = [t.organisation_id for t in body.ties]
    if len(seen) != len(set(seen)):
        problems.append(("ties", "each organisation once"))
    if problems:
        raise ProblemError(422, "Some answers were refused: see each one.", invalid_params=problems)
    organisation = fixed or members[body.organisation_id]  # type: ignore[index]
    try:
        with transaction.atomic():
            response = target.response
            if response is None:
                response, _token = survey_services.response_start(
                    wave=wave, invitation=target.invitation, organisation=organisation
                )
            services.ties_choose(
                response=response, organisations=[members[t.organisation_id] for t in body.ties]
            )
            for i, tie in enumerate(body.ties):
                answers = services.TieAnswers(
                    frequency=tie.frequency,
                    exchanges=list(tie.exchanges),
                    level=tie.level,
                    **{name: getattr(tie, name) for name in RATINGS},
                )
                try:
                    services.tie_rate(
                        response=response, organisation=members[tie.organisation_id], answers=answers
                    )
                except ValidationError as exc:
                    raise refusal(_under(exc, f"ties.{i}")) from None
            response = services.relationship_submit(response=response)
    except ValidationError as exc:
        raise refusal(exc, status=409) from None
    assert response.submitted_on is not None
    return Status(201, SubmittedOut(wave_id=wave.pk, submitted_on=response.submitted_on))


def _under(exc: ValidationError, prefix: str) -> ValidationError:
    """The service's field errors about one tie, named by where the tie is in the body (`ties.2.level`)."""
    if hasattr(exc, "error_dict"):
        return ValidationError({f"{prefix}.{field}": errors for field, errors in exc.error_dict.items()})
    return ValidationError({prefix: exc.messages})
