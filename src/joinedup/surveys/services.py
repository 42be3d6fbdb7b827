"""Writes for survey waves: create, open and close a wave, invite and remind, start, save and submit responses.

Keyword-only, the acting user as `by=` (None for a respondent using a link), one transaction, one audit event per
change a coordinator makes; e-mails are sent by a background job after the transaction commits.

Durable (nothing may wrap them): invitations_send, reminders_send, response_start, response_describe. Not
durable: wave_create/open/close (the demo builder's transaction calls them), response_save and
response_submit (the networks and assessments services wrap them). invitation_send_now (a job's step) commits
in steps of its own, so nothing may wrap it either.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.core.choices import AuditVerb
from joinedup.core.jobs import job_enqueue
from joinedup.core.mail import send_plain
from joinedup.core.registry import wave_kinds
from joinedup.core.services import audit_record
from joinedup.core.tokens import new_token, token_hash
from joinedup.register.models import Organisation, Partnership, Person
from joinedup.surveys.choices import SEND_JOB, Anonymity, WaveStatus
from joinedup.surveys.models import MIN_GROUP_FLOOR, Invitation, Response, Wave

CLOSED_FOR_ANSWERS = "This survey has closed, so answers can no longer be sent."
NOT_OPEN_YET = "This survey is not open for answers."


@dataclass(frozen=True)
class Recipient:
    email: str
    organisation: Organisation | None = None
    person: Person | None = None


def wave_create(
    *,
    by: User | None,
    partnership: Partnership,
    kind: str,
    title: str,
    opens: datetime.date,
    closes: datetime.date,
    instrument_key: str = "",
    instrument: Mapping[str, Any] | None = None,
    audience: str = "",
    anonymity: str = Anonymity.CONFIDENTIAL,
    min_group_size: int = 5,
) -> Wave:
    """A new wave, not yet open. Assessment waves name a validated instrument (kept with the wave)."""
    if min_group_size < MIN_GROUP_FLOOR:
        raise ValidationError(
            {"min_group_size": f"The smallest group shown cannot be below {MIN_GROUP_FLOOR}."}
        )
    entry = wave_kinds.get(kind)
    if entry is None:
        raise ValidationError({"kind": "Choose a kind of survey."})
    if entry.needs_instrument and not (instrument_key and instrument):
        raise ValidationError({"instrument_key": "Choose the instrument this assessment uses."})
    with transaction.atomic():
        wave = Wave(
            partnership=partnership,
            kind=kind,
            title=title,
            opens=opens,
            closes=closes,
            instrument_key=instrument_key,
            instrument=dict(instrument or {}),
            audience=audience,
            anonymity=anonymity,
            min_group_size=min_group_size,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        wave.full_clean()
        wave.save()
        audit_record(
            by=by, verb=AuditVerb.WAVE_CREATED, target=wave, data={"kind": kind, "instrument": instrument_key}
        )
    return wave


def wave_open(*, by: User | None, wave: Wave, open_link: bool = False) -> str | None:
    """Open a wave for answers. With `open_link`, returns the token of a link anyone can use (shown once)."""
    with transaction.atomic():
        wave.status = Wave.objects.select_for_update().values_list("status", flat=True).get(pk=wave.pk)
        if wave.status == WaveStatus.CLOSED:
            raise ValidationError("This wave has closed; start a new wave instead.")
        if wave.status == WaveStatus.OPEN and not open_link:
            return None  # already open: nothing changes, so nothing is recorded
        token = None
        if open_link:
            token = new_token()
            wave.open_link_hash = token_hash(token)
        wave.status = WaveStatus.OPEN
        wave.save(update_fields=["status", "open_link_hash"])
        audit_record(by=by, verb=AuditVerb.WAVE_OPENED, target=wave, data={"open_link": open_link})
    return token


def wave_close(*, by: User | None, wave: Wave, reason: str = "") -> Wave:
    """Close a wave to answers (its open link stops working). Closing a closed wave changes and records nothing."""
    with transaction.atomic():
        locked = Wave.objects.select_for_update().values_list("status", "open_link_hash").get(pk=wave.pk)
        if locked == (WaveStatus.CLOSED, ""):
            wave.status, wave.open_link_hash = locked
            return wave
        wave.status = WaveStatus.CLOSED
        wave.open_link_hash = ""
        wave.save(update_fields=["status", "open_link_hash"])
        audit_record(
            by=by, verb=AuditVerb.WAVE_CLOSED, target=wave, data={"reason": reason} if reason else None
        )
        entry = wave_kinds.get(wave.kind)
        if entry is not None and entry.on_close is not None:
            on_close = entry.on_close  # the app that defines the kind rescores or makes its final release
            transaction.on_commit(lambda: on_close(wave))
    return wave


def invitation_email(wave: Wave, invitation_link: str, *, reminder: bool) -> tuple[str, str]:
    context = {"wave": wave, "link": invitation_link, "reminder": reminder}
    subject = ("Reminder: " if reminder else "") + f"Please answer: {wave.title}"
    return subject, render_to_string("surveys/invitation_email.txt", context)


# Links are made by the background job that sends the e-mails (tokens are never stored, only their hashes); the
# request hands it the link with this placeholder where the token goes.
TOKEN_PLACEHOLDER = "JOINEDUPTOKENPLACEHOLDER"


def _send_later(*, by: User | None, wave: Wave, ids: list[int], link_for: Any, reminder: bool) -> None:
    if not ids:
        return
    count = len(ids)
    what = (
        f"{count} reminder{'s' if count != 1 else ''}"
        if reminder
        else f"{count} invitation{'s' if count != 1 else ''}"
    )
    job_enqueue(
        kind=SEND_JOB,
        title=f"Send {what} for {wave.title}",
        by=by,
        partnership=wave.partnership,
        params={
            "wave": wave.pk,
            "invitations": ids,
            "reminder": reminder,
            "link": link_for(TOKEN_PLACEHOLDER),
        },
    )


def invitations_send(
    *, by: User | None, wave: Wave, recipients: Iterable[Recipient], link_for: Any
) -> list[Invitation]:
    """Invite people by e-mail, each with a single-use link. `link_for(token)` makes the absolute URL.

    People already invited to this wave are skipped (use reminders_send for them). Returns the new invitations.
    The e-mails are sent by a background job once this commits (`sent_at` is set as each one goes).
    """
    if wave.state == WaveStatus.CLOSED:
        raise ValidationError("This wave has closed.")
    with transaction.atomic(durable=True):
        existing = set(wave.invitations.values_list("email", flat=True))
        created: list[Invitation] = []
        for recipient in recipients:
            email = recipient.email.strip().lower()
            if not email or email in existing:
                continue
            existing.add(email)
            invitation = Invitation.objects.create(
                wave=wave,
                email=email,
                organisation=recipient.organisation,
                person=recipient.person,
                token_hash=token_hash(new_token()),  # replaced, with the link, when the e-mail is sent
            )
            created.append(invitation)
        audit_record(by=by, verb=AuditVerb.WAVE_INVITED, target=wave, data={"invited": len(created)})
        _send_later(by=by, wave=wave, ids=[i.pk for i in created], link_for=link_for, reminder=False)
    return created


def reminders_send(*, by: User | None, wave: Wave, link_for: Any) -> int:
    """Remind everyone invited who has not submitted. Their old link is replaced by a new one in the reminder
    (only hashes are kept, so the old link cannot be re-sent); answers saved so far stay with the invitation.
    The reminders are sent by a background job once this commits."""
    if not wave.accepting_answers:
        raise ValidationError("Reminders can only go out while the wave is open.")
    with transaction.atomic(durable=True):
        ids = list(wave.invitations.filter(answered=False).order_by("pk").values_list("pk", flat=True))
        audit_record(by=by, verb=AuditVerb.WAVE_REMINDED, target=wave, data={"reminded": len(ids)})
        _send_later(by=by, wave=wave, ids=ids, link_for=link_for, reminder=True)
    return len(ids)


LINK_AGAIN_WAIT = datetime.timedelta(minutes=10)


def invitation_link_again(*, by: User, pk: int, link_for: Any) -> Invitation:
    """E-mail the invitee a new link for their own invitation (the "needs you" home), as a reminder does (the old
    link stops; saved answers move to the new one): only to them, once sent, not answered, while the wave takes
    answers, at most once in LINK_AGAIN_WAIT. A background job sends it once this commits."""
    with transaction.atomic(durable=True):
        mine = Invitation.objects.filter(Q(email__iexact=by.email) | Q(person__user=by), pk=pk)
        invitation = mine.select_for_update(of=("self",)).select_related("wave__partnership").first()
        if invitation is None:
            raise ValidationError("There is no survey invitation for you here.")
        if invitation.answered:
            raise ValidationError("You have answered this survey already.")
        if invitation.sent_at is None:
            raise ValidationError("Your invitation is still being sent: look for it in a few minutes.")
        wave = invitation.wave
        if not wave.accepting_answers:
            raise ValidationError(CLOSED_FOR_ANSWERS)
        last = max(invitation.sent_at, invitation.reminded_at or invitation.sent_at)
        if timezone.now() - last < LINK_AGAIN_WAIT:
            again = f"{timezone.localtime(last + LINK_AGAIN_WAIT):%H:%M}"
            raise ValidationError(
                f"A link was e-mailed to {invitation.email} a few minutes ago: look for it (in the spam folder "
                f"too). You can ask for another from {again}."
            )
        audit_record(by=by, verb=AuditVerb.WAVE_REMINDED, target=wave, data={"reminded": 1, "by": "invitee"})
        _send_later(by=by, wave=wave, ids=[invitation.pk], link_for=link_for, reminder=True)
    return invitation


SENT, SKIPPED, UNCERTAIN = "sent", "skipped", "uncertain"


def invitation_send_now(
    *, invitation: Invitation, wave: Wave, link: str, reminder: bool, connection: Any, send_key: str
) -> str:
    """Give one invitation a new link and e-mail it (the background job's step). Returns SENT, SKIPPED (nothing
    to send: gone, already invited, or answered before a reminder) or UNCERTAIN.

    In three steps, so that a send job run again after its worker died never e-mails anyone twice: (1) record,
    and commit, that this send (`send_key`) has begun with the new link; (2) send; (3) record that it went. A run
    again finds what this send began: done (SENT), or begun and not known to have gone (UNCERTAIN: the worker
    died while sending; it is not sent again, and a later reminder reaches them). If the mail server refuses the
    e-mail, the old link is put back and the error raised, so a refused e-mail changes nothing.
    """
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("response")
            .filter(pk=invitation.pk)
            .first()
        )
        if locked is None:
            return SKIPPED
        if locked.send_key == send_key:
            return SENT if locked.send_confirmed else UNCERTAIN
        response = getattr(locked, "response", None)
        if locked.answered:  # answered meanwhile: no reminder, and the used link stays as it was
            return SKIPPED
        if not reminder and locked.sent_at is not None:
            return SKIPPED
        before = (locked.token_hash, locked.send_key, locked.send_confirmed)
        token = new_token()
        locked.token_hash, locked.send_key, locked.send_confirmed = token_hash(token), send_key, False
        locked.save(update_fields=["token_hash", "send_key", "send_confirmed"])
        resume_before = response.resume_hash if response is not None else ""
        if response is not None:
            response.resume_hash = token_hash(token)
            response.save(update_fields=["resume_hash"])
    subject, body = invitation_email(wave, link.replace(TOKEN_PLACEHOLDER, token), reminder=reminder)
    try:
        send_plain(subject=subject, body=body, to=[locked.email], connection=connection)
    except BaseException:
        with transaction.atomic():  # the old link works again, as if nothing had been tried
            Invitation.objects.filter(pk=locked.pk).update(
                token_hash=before[0], send_key=before[1], send_confirmed=before[2]
            )
            if response is not None:
                Response.objects.filter(pk=response.pk).update(resume_hash=resume_before)
        raise
    with transaction.atomic():
        now = timezone.now()
        if reminder:
            Invitation.objects.filter(pk=locked.pk).update(
                send_confirmed=True, reminded_at=now, reminders=F("reminders") + 1
            )
        else:
            Invitation.objects.filter(pk=locked.pk).update(send_confirmed=True, sent_at=now)
    return SENT


@dataclass(frozen=True)
class LinkTarget:
    """What a link token opens: the wave, and the response to continue (None for a fresh open-link visit)."""

    wave: Wave
    response: Response | None
    invitation: Invitation | None

    @property
    def answered(self) -> bool:
        """The answers behind this link have been sent (an anonymous wave's invitation keeps only this)."""
        if self.response is not None and self.response.is_submitted:
            return True
        return self.invitation is not None and self.invitation.answered


def link_resolve(token: str) -> LinkTarget | None:
    """Resolve an invitation link, a resume link or a wave's open link; None if it matches nothing."""
    digest = token_hash(token)
    response = Response.objects.select_related("wave", "invitation").filter(resume_hash=digest).first()
    if response is not None:
        return LinkTarget(wave=response.wave, response=response, invitation=response.invitation)
    invitation = Invitation.objects.select_related("wave").filter(token_hash=digest).first()
    if invitation is not None:
        existing = Response.objects.filter(invitation=invitation).first()
        return LinkTarget(wave=invitation.wave, response=existing, invitation=invitation)
    wave = Wave.objects.filter(open_link_hash=digest).first()
    if wave is not None:
        return LinkTarget(wave=wave, response=None, invitation=None)
    return None


def response_start(
    *,
    wave: Wave,
    invitation: Invitation | None = None,
    organisation: Organisation | None = None,
    profession: str = "",
    role_level: str = "",
    respondent_name: str = "",
    token: str | None = None,
) -> tuple[Response, str]:
    """Start a response (or return the invitation's existing one). Returns it with the token that resumes it:
    an invitation's own token, or a new one for open-link respondents (show it to them as their resume link)."""
    if not wave.accepting_answers:
        raise ValidationError(CLOSED_FOR_ANSWERS if wave.state == WaveStatus.CLOSED else NOT_OPEN_YET)
    with transaction.atomic():  # not durable: the API sends answers in one transaction with start and submit
        if invitation is not None:
            if Invitation.objects.filter(pk=invitation.pk, answered=True).exists():
                raise ValidationError("These answers have been sent already.")
            existing = Response.objects.select_for_update().filter(invitation=invitation).first()
            if existing is not None:
                if token is None:
                    raise ValidationError("Use the link from your invitation to carry on.")
                return existing, token
            organisation = organisation or invitation.organisation
        resume = token if (invitation is not None and token) else new_token()
        response = Response.objects.create(
            wave=wave,
            invitation=invitation,
            resume_hash=token_hash(resume),
            organisation=organisation,
            sector=organisation.sector if organisation is not None else "",
            profession=profession,
            role_level=role_level,
            respondent_name=respondent_name if wave.anonymity != Anonymity.ANONYMOUS else "",
        )
    return response, resume


def response_save(
    *, response: Response, answers: Mapping[str, Any] | None = None, comments: Mapping[str, str] | None = None
) -> Response:
    """Merge answers (item key -> value or "dk"; None clears) and comments into an unsubmitted response."""
    with transaction.atomic():
        response = Response.objects.select_for_update().select_related("wave").get(pk=response.pk)
        if response.is_submitted:
            raise ValidationError("These answers have been sent already and cannot be changed.")
        if not response.wave.accepting_answers:
            raise ValidationError(CLOSED_FOR_ANSWERS)
        for key, value in (answers or {}).items():
            if value is None or value == "":
                response.answers.pop(key, None)
            else:
                response.answers[key] = value
        for key, text in (comments or {}).items():
            if text.strip():
                response.comments[key] = text.strip()
            else:
                response.comments.pop(key, None)
        response.updated_at = timezone.now()
        response.save(update_fields=["answers", "comments", "updated_at"])
    return response


def response_submit(*, response: Response) -> Response:
    """Send the answers in. After this the link no longer opens the survey for editing (single use).

    The invitation (if any) records that it was answered. In an anonymous wave the response is then cut loose:
    no invitation, no resume link, no times, only the day it was sent (so nobody, the database's readers
    included, can tell whose answers these are). Other waves keep the link and the time.
    """
    with transaction.atomic():
        response = Response.objects.select_for_update().select_related("wave").get(pk=response.pk)
        if response.is_submitted:
            raise ValidationError("These answers have been sent already.")
        if not response.wave.accepting_answers:
            raise ValidationError(CLOSED_FOR_ANSWERS)
        now = timezone.now()
        if response.invitation_id is not None:
            Invitation.objects.filter(pk=response.invitation_id).update(answered=True)
        response.submitted_on = timezone.localdate(now)
        if response.wave.anonymity == Anonymity.ANONYMOUS:
            response.invitation = None
            response.resume_hash = None
            response.respondent_name = ""
            response.started_at = response.updated_at = response.submitted_at = None
        else:
            response.submitted_at = now
        response.save(
            update_fields=[
                "submitted_on",
                "submitted_at",
                "invitation",
                "resume_hash",
                "respondent_name",
                "started_at",
                "updated_at",
            ]
        )
    return response


def response_describe(
    *,
    response: Response,
    organisation: Organisation | None,
    profession: str = "",
    role_level: str = "",
    respondent_name: str = "",
) -> Response:
    """Change what an unsubmitted response says about the respondent (the 'about you' answers)."""
    with transaction.atomic():  # not durable: the API sends answers in one transaction with start and submit
        response = Response.objects.select_for_update().select_related("wave").get(pk=response.pk)
        if response.is_submitted:
            raise ValidationError("These answers have been sent already and cannot be changed.")
        if not response.wave.accepting_answers:
            raise ValidationError(CLOSED_FOR_ANSWERS)
        if response.invitation_id is None or organisation is not None:
            response.organisation = organisation
            response.sector = organisation.sector if organisation is not None else ""
        response.profession = profession
        response.role_level = role_level
        response.respondent_name = respondent_name if response.wave.anonymity != Anonymity.ANONYMOUS else ""
        response.updated_at = timezone.now()
        response.save(
            update_fields=[
                "organisation",
                "sector",
                "profession",
                "role_level",
                "respondent_name",
                "updated_at",
            ]
        )
    return response


@dataclass(frozen=True)
class Housekeeping:
    closed: list[str]  # the waves closed because their closing date had passed
    pruned: int  # open-link answers never sent, deleted after SURVEY_UNFINISHED_DAYS without a change


def surveys_housekeeping(*, now: datetime.datetime | None = None, dry_run: bool = False) -> Housekeeping:
    """Close open waves whose closing date has passed (audited, by nobody), and delete the answers started through
    open links that were never sent and have not changed for SURVEY_UNFINISHED_DAYS (the scheduled job's work).

    Answers started from an invitation stay: the invitation is the person's, and a reminder brings them back."""
    now = now or timezone.now()
    overdue = Wave.objects.filter(status=WaveStatus.OPEN, closes__lt=timezone.localdate(now)).order_by("pk")
    stale = Response.objects.filter(
        invitation__isnull=True,
        submitted_on__isnull=True,
        updated_at__lt=now - datetime.timedelta(days=settings.SURVEY_UNFINISHED_DAYS),
    )
    if dry_run:
        return Housekeeping(closed=[w.title for w in overdue], pruned=stale.count())
    closed = []
    for wave in overdue:
        wave_close(by=None, wave=wave, reason="Its closing date had passed.")
        closed.append(wave.title)
    with transaction.atomic():
        pruned = Response.objects.filter(pk__in=list(stale.values_list("pk", flat=True)[:10_000])).delete()[1]
    return Housekeeping(closed=closed, pruned=pruned.get("surveys.Response", 0))
