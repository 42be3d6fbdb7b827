"""Writes for the relationship survey: choose the organisations a respondent works with, rate each, submit.

Respondents answer by link, without an account, so these take no `by=` (as surveys.services.response_save).
Keyword-only arguments; each change is one transaction; the survey is sent with surveys.services.response_submit.
`network_file_analyse` queues the analysis of an evaluator's own files (see networks.files).
Each is called only from a view, so each transaction is durable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from joinedup.accounts.models import User
from joinedup.core.choices import AuditVerb
from joinedup.core.jobs import job_enqueue
from joinedup.core.models import Job
from joinedup.core.services import audit_record
from joinedup.networks.choices import AGREEMENT_SCALE, RELATIONSHIP_KIND, Exchange, Frequency, Level
from joinedup.networks.files import FILE_JOB, files_check
from joinedup.networks.models import TieRating
from joinedup.networks.selectors import WAVE_JOB
from joinedup.register.models import Organisation
from joinedup.surveys import services as survey_services
from joinedup.surveys.choices import Anonymity
from joinedup.surveys.models import Response, Wave


@dataclass(frozen=True)
class TieAnswers:
    """The answers about one organisation."""

    frequency: int
    exchanges: Sequence[str]
    level: int
    trust_reliability: int
    trust_mission: int
    trust_openness: int
    value_power: int
    value_involvement: int
    value_resources: int

    def check(self) -> None:
        errors: dict[str, str] = {}
        if self.frequency not in Frequency.values:
            errors["frequency"] = "Choose how often you work together."
        if self.level not in Level.values:
            errors["level"] = "Choose how closely you work together."
        unknown = set(self.exchanges) - set(Exchange.values)
        if unknown:
            errors["exchanges"] = f"Unknown kind of exchange: {', '.join(sorted(unknown))}."
        scale = {value for value, _ in AGREEMENT_SCALE}
        for field in (
            "trust_reliability",
            "trust_mission",
            "trust_openness",
            "value_power",
            "value_involvement",
            "value_resources",
        ):
            if getattr(self, field) not in scale:
                errors[field] = "Choose an answer from 1 to 4."
        if errors:
            raise ValidationError(errors)


def _editable(response: Response) -> Response:
    """The response, locked for this transaction, if it is an unsent answer to an open relationship survey."""
    locked = Response.objects.select_for_update().select_related("wave").get(pk=response.pk)
    if locked.wave.kind != RELATIONSHIP_KIND:
        raise ValidationError("This is not a relationship survey.")
    if locked.is_submitted:
        raise ValidationError("These answers have been sent already and cannot be changed.")
    if not locked.wave.accepting_answers:  # closed, or its closing date has passed
        raise ValidationError("This survey is not open for answers.")
    if locked.organisation_id is None:
        raise ValidationError("Say which organisation you answer for first.")
    return locked


def ties_choose(*, response: Response, organisations: Iterable[Organisation]) -> list[TieRating]:
    """Set the organisations the respondent's organisation works with. Answers already given about an
    organisation that stays chosen are kept; organisations taken off the list lose their answers."""
    chosen = {org.pk: org for org in organisations}
    with transaction.atomic():  # not durable: the API sends a whole survey in one transaction
        locked = _editable(response)
        if locked.organisation_id in chosen:
            raise ValidationError(
                {"organisations": "Choose the other organisations you work with, not your own."}
            )
        existing = {tie.target_id: tie for tie in TieRating.objects.filter(response=locked)}
        TieRating.objects.filter(response=locked).exclude(target_id__in=list(chosen)).delete()
        TieRating.objects.bulk_create(
            [TieRating(response=locked, target=org) for pk, org in chosen.items() if pk not in existing]
        )
        survey_services.response_save(response=locked)  # marks the response as updated
    return list(TieRating.objects.filter(response=response).select_related("target"))


def tie_rate(*, response: Response, organisation: Organisation, answers: TieAnswers) -> TieRating:
    """Record the answers about one organisation (adding it to the list if needed)."""
    answers.check()
    with transaction.atomic():  # not durable: the API sends a whole survey in one transaction
        locked = _editable(response)
        if organisation.pk == locked.organisation_id:
            raise ValidationError("An organisation cannot rate its work with itself.")
        tie, _ = TieRating.objects.select_for_update().get_or_create(response=locked, target=organisation)
        tie.frequency = answers.frequency
        tie.exchanges = [key for key in Exchange.values if key in set(answers.exchanges)]
        tie.level = answers.level
        for field in (
            "trust_reliability",
            "trust_mission",
            "trust_openness",
            "value_power",
            "value_involvement",
            "value_resources",
        ):
            setattr(tie, field, getattr(answers, field))
        tie.full_clean()
        tie.save()
    return tie


def relationship_submit(*, response: Response) -> Response:
    """Send the survey in. Every organisation on the list must have all its questions answered."""
    with transaction.atomic():  # not durable: the API sends a whole survey in one transaction
        locked = _editable(response)
        incomplete = [
            tie.target.name
            for tie in TieRating.objects.filter(response=locked).select_related("target")
            if not tie.is_complete
        ]
        if incomplete:
            raise ValidationError(
                "Answer the questions about every organisation on your list, or take it off the list: "
                + "; ".join(sorted(incomplete))
                + "."
            )
        sent = survey_services.response_submit(response=locked)
        if sent.wave.anonymity == Anonymity.ANONYMOUS:  # no times are kept with anonymous answers
            TieRating.objects.filter(response=sent).update(updated_at=None)
        return sent


def network_file_analyse(*, by: User, ties: UploadedFile, nodes: UploadedFile | None = None) -> Job:
    """Check an evaluator's TIES (and NODES) files as `joinedup network analyse` does and queue their analysis.

    Raises FileProblem (the command's message: file, line, column) and queues nothing when a file is wrong.
    """
    payload, params = files_check(ties, nodes)
    title = f"Network analysis of {params['ties']}" + (f" and {params['nodes']}" if params["nodes"] else "")
    with transaction.atomic(durable=True):
        job = job_enqueue(kind=FILE_JOB, title=title, by=by, params=params, payload=payload)
        audit_record(by=by, verb=AuditVerb.NETWORK_FILE_ANALYSE, target=job, data=params)
    return job


def wave_network_schedule(*, wave: Wave, key: str, exchange: str, min_frequency: int, by: User | None) -> Job:
    """Queue the analysis of a large wave's network (with these filters) as a background job. `key` is
    `selectors.wave_network_key(...)`: while a job with the same key waits, it is returned instead."""
    return job_enqueue(
        kind=WAVE_JOB,
        key=key,
        title=f"Network of {wave.title}",
        by=by,
        partnership=wave.partnership,
        params={"wave": wave.pk, "exchange": exchange, "min_frequency": min_frequency},
    )
