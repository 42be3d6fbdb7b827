"""Writes of the voice app: forms, answers, moderation, themes and "you said, we did".

Every service is keyword-only with the acting user as `by=` and writes an audit event in its transaction,
except `response_submit`: an anonymous answer writes no audit event, because an event has a time and would tie
the answer to a moment (ADR 7). E-mail to a safeguarding lead goes after the transaction commits.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from joinedup.core.choices import AuditVerb
from joinedup.core.mail import SEND_ERRORS, send_plain
from joinedup.core.models import IdempotentRequest
from joinedup.core.registry import record_kinds
from joinedup.core.services import audit_record, model_edit
from joinedup.voice import selectors
from joinedup.voice.choices import ANSWER_KINDS, INDICATOR_KIND, MIN_FEEDBACK_GROUP, CommentStatus
from joinedup.voice.instrument import shipped
from joinedup.voice.models import (
    FeedbackComment,
    FeedbackForm,
    FeedbackRelease,
    FeedbackResponse,
    Theme,
    YouSaidWeDid,
)
from joinedup.voice.release import release_chain
from joinedup.voice.screening import screen

log = logging.getLogger(__name__)
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a poster without mistakes
CODE_LENGTH = 7
MAX_COMMENT = 4000
FORM_FIELDS = ("service", "min_group_size", "safeguarding_lead", "is_open")


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _check_form_fields(fields: Mapping[str, Any]) -> None:
    k = fields.get("min_group_size")
    if k is not None and k < MIN_FEEDBACK_GROUP:
        raise ValidationError(
            {"min_group_size": f"The smallest group shown must be at least {MIN_FEEDBACK_GROUP} answers."}
        )


def form_create(
    *,
    by: Any,
    partnership: Any,
    service: str = "",
    min_group_size: int = MIN_FEEDBACK_GROUP,
    safeguarding_lead: Any = None,
    today: datetime.date | None = None,
) -> FeedbackForm:
    fields = {"service": service.strip(), "min_group_size": min_group_size}
    _check_form_fields(fields)
    if FeedbackForm.objects.filter(partnership=partnership, service=fields["service"]).exists():
        raise ValidationError({"service": "This partnership already has a feedback form for that service."})
    instrument = shipped()
    with transaction.atomic():
        for _ in range(5):
            code = _new_code()
            if not FeedbackForm.objects.filter(code=code).exists():
                break
        form = FeedbackForm.objects.create(
            partnership=partnership,
            code=code,
            instrument_key=instrument.key,
            instrument_version=instrument.version,
            safeguarding_lead=safeguarding_lead,
            created_on=today or datetime.date.today(),
            **fields,
        )
        audit_record(
            by=by,
            verb=AuditVerb.FEEDBACK_FORM_CREATED,
            target=form,
            data={"service": form.service, "min_group_size": form.min_group_size},
        )
    return form


def form_update(*, by: Any, form: FeedbackForm, fields: Mapping[str, Any]) -> FeedbackForm:
    _check_form_fields(fields)
    with transaction.atomic():
        row, changes = model_edit(FeedbackForm, form, fields, service="form_update", allowed=FORM_FIELDS)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError(
                {"service": "This partnership already has a feedback form for that service."}
            ) from None
        if changes:
            audit_record(by=by, verb=AuditVerb.FEEDBACK_FORM_UPDATED, target=row, data={"changes": changes})
    return row


def _answer_problems(overall: str, statements: Mapping[str, str]) -> dict[str, str]:
    instrument = shipped()
    problems = {}
    if overall not in instrument.overall_keys:
        problems["overall"] = "Choose how your experience was overall (or choose don't know)."
    known = {s.key for s in instrument.statements}
    for key, value in statements.items():
        if key not in known or value not in instrument.scale_keys:
            problems[key] = "Choose one of the answers."
    return problems


def response_submit(
    *,
    form: FeedbackForm,
    overall: str,
    statements: Mapping[str, str],
    comment: str = "",
    today: datetime.date | None = None,
    once: str = "",
) -> FeedbackResponse:
    """Keep one person's answers: the form, the day, the answers and (screened) the free text. No address,
    user, session or time, and no audit event (it would carry a time).

    `once` is the random value the form page carried: the same page sent twice raises AlreadyReceived instead
    of keeping the answers again. It is kept apart from the answers (core.IdempotentRequest, pruned after a
    day) with the day, never the time, so it cannot date an answer more closely than `submitted_on` does."""
    if not form.is_open:
        raise ValidationError("This feedback form is closed.")
    statements = {k: v for k, v in statements.items() if v}
    problems = _answer_problems(overall, statements)
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        problems["comments"] = f"Please keep your answer to {MAX_COMMENT:,} characters or fewer."
    if problems:
        raise ValidationError(problems)
    names = selectors.known_names(partnership_id=form.partnership_id) if comment else []
    day = today or datetime.date.today()
    with transaction.atomic():
        if once:
            _once(form, once, day)
        response = FeedbackResponse.objects.create(
            form=form, submitted_on=day, overall=overall, statements=statements
        )
        if comment:
            screened = screen(comment, names=names)
            FeedbackComment.objects.create(
                response=response, original=comment, text=screened.text, flags=screened.flags
            )
    return response


class AlreadyReceived(Exception):
    """These answers were sent before, from the same page: they are kept once."""


def _once(form: FeedbackForm, once: str, day: datetime.date) -> None:
    midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    try:
        with transaction.atomic():
            IdempotentRequest.objects.create(
                scope=f"feedback:{form.pk}", key=once, request_hash="", status=201, created_at=midnight
            )
    except IntegrityError as exc:
        raise AlreadyReceived from exc


# ---- releases -----------------------------------------------------------------------------------------------


def releases_make(*, partnership: Any, today: datetime.date | None = None) -> int:
    """Keep the release of every complete month not yet kept (each checked with those before it), so that what
    was shown is never taken back and each is worked out once. Returns how many were made. Run by the
    hourly job (`voice.jobs`), never by a page; no audit event (it changes nothing anyone entered)."""
    today = today or datetime.date.today()
    forms = list(FeedbackForm.objects.filter(partnership=partnership))
    rows, _this_month = selectors.release_rows(partnership=partnership, today=today)
    stored = selectors.stored_releases(partnership=partnership)
    if not rows or max(r.month for r in rows) in stored:
        return 0
    k = selectors.smallest_group(forms)
    keys = [s.key for s in shipped().statements]
    chain = release_chain(rows, keys, k, stored)
    new = [
        FeedbackRelease(
            partnership=partnership, month=month, min_group_size=k, shown=shown.to_dict(), made_on=today
        )
        for month, shown in chain.items()
        if month not in stored
    ]
    with transaction.atomic():
        FeedbackRelease.objects.bulk_create(new, ignore_conflicts=True)  # another request may have made them
    return len(new)


# ---- moderation --------------------------------------------------------------------------------------------


def _moderated(comment: FeedbackComment, by: Any, today: datetime.date | None) -> FeedbackComment:
    row = FeedbackComment.objects.select_for_update().get(pk=comment.pk)
    row.moderated_by = by
    row.moderated_on = today or datetime.date.today()
    return row


def comment_publish(
    *, by: Any, comment: FeedbackComment, text: str | None = None, today: datetime.date | None = None
) -> FeedbackComment:
    """Publish a comment, as it stands or as the moderator edited it (the edit is audited; what the person
    wrote stays in `original`, for moderators only)."""
    with transaction.atomic():
        row = _moderated(comment, by, today)
        new = (text if text is not None else row.text).strip()
        if not new:
            raise ValidationError({"text": "A published comment cannot be empty; withhold it instead."})
        if new != row.text:
            row.text, row.edited = new, True
            audit_record(by=by, verb=AuditVerb.FEEDBACK_COMMENT_EDITED, target=row, data={})
        row.status = CommentStatus.PUBLISHED
        row.save()
        audit_record(
            by=by, verb=AuditVerb.FEEDBACK_COMMENT_PUBLISHED, target=row, data={"edited": row.edited}
        )
    return row


def comment_withhold(
    *, by: Any, comment: FeedbackComment, today: datetime.date | None = None
) -> FeedbackComment:
    with transaction.atomic():
        row = _moderated(comment, by, today)
        row.status = CommentStatus.WITHHELD
        row.save()
        audit_record(by=by, verb=AuditVerb.FEEDBACK_COMMENT_WITHHELD, target=row, data={})
    return row


def _tell_lead(comment_id: int, lead_email: str, partnership_name: str, url: str) -> None:
    try:
        send_plain(
            subject=f"A safeguarding concern in feedback for {partnership_name}",
            body=(
                f"A moderator of {partnership_name} has flagged a feedback comment as a possible safeguarding "
                f"concern. You are the named safeguarding lead for this feedback form.\n\n"
                f"Read it and record what you did here: {url}\n\n"
                "The comment is anonymous: JoinedUp does not know who wrote it."
            ),
            to=[lead_email],
        )
    except SEND_ERRORS:
        log.warning("The e-mail about safeguarding concern %s could not be sent", comment_id)


def comment_flag_safeguarding(
    *, by: Any, comment: FeedbackComment, note: str, link_for: Any = None
) -> FeedbackComment:
    """Flag a comment for the form's safeguarding lead, who gets an e-mail and a "needs you" item."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say in a few words what the concern is."})
    with transaction.atomic():
        row = (
            FeedbackComment.objects.select_for_update(of=("self",))
            .select_related("response__form__partnership", "response__form__safeguarding_lead")
            .get(pk=comment.pk)
        )
        form = row.response.form
        if form.safeguarding_lead is None:
            raise ValidationError(
                {"note": "This form has no safeguarding lead. Name one on the form's settings first."}
            )
        row.safeguarding, row.safeguarding_note, row.safeguarding_seen = True, note, False
        row.save()
        audit_record(by=by, verb=AuditVerb.FEEDBACK_SAFEGUARDING_FLAGGED, target=row, data={})
        path = reverse("voice:safeguarding", args=[row.pk])
        url = link_for(path) if link_for is not None else path
        lead_email, name = form.safeguarding_lead.email, form.partnership.name
        transaction.on_commit(lambda: _tell_lead(row.pk, lead_email, name, url))
    return row


def safeguarding_seen(*, by: Any, comment: FeedbackComment) -> FeedbackComment:
    with transaction.atomic():
        row = FeedbackComment.objects.select_for_update().get(pk=comment.pk)
        row.safeguarding_seen = True
        row.save(update_fields=["safeguarding_seen"])
        audit_record(by=by, verb=AuditVerb.FEEDBACK_SAFEGUARDING_FLAGGED, target=row, data={"seen": True})
    return row


# ---- themes ------------------------------------------------------------------------------------------------


def theme_save(*, by: Any, partnership: Any, name: str, theme: Theme | None = None) -> Theme:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the theme a name."})
    clash = Theme.objects.filter(partnership=partnership, name__iexact=name)
    if theme is not None:
        clash = clash.exclude(pk=theme.pk)
    if clash.exists():
        raise ValidationError({"name": "There is already a theme with that name."})
    with transaction.atomic():
        row = theme or Theme(partnership=partnership)
        row.name = name
        row.save()
        audit_record(by=by, verb=AuditVerb.FEEDBACK_THEME_SAVED, target=row, data={"name": name})
    return row


def comment_themes_set(*, by: Any, comment: FeedbackComment, themes: Iterable[Theme]) -> FeedbackComment:
    chosen = list(themes)
    partnership_id = (
        FeedbackComment.objects.filter(pk=comment.pk)
        .values_list("response__form__partnership_id", flat=True)
        .get()
    )
    if any(t.partnership_id != partnership_id for t in chosen):
        raise ValidationError({"themes": "Choose themes of this partnership."})
    with transaction.atomic():
        comment.themes.set(chosen)
        audit_record(
            by=by,
            verb=AuditVerb.FEEDBACK_THEMES_TAGGED,
            target=comment,
            data={"themes": sorted(t.name for t in chosen)},
        )
    return comment


# ---- "you said, we did" ------------------------------------------------------------------------------------


def _record_problems(
    partnership: Any, record_kind: str, record_id: int | None, indicator_id: int | None
) -> dict[str, str]:
    problems = {}
    if record_kind not in ANSWER_KINDS or record_kinds.get(record_kind) is None:
        problems["record"] = "Choose the decision or action on the record that answered this."
    elif record_id is None or not _belongs(record_kind, record_id, partnership):
        problems["record"] = "Choose a decision or action of this partnership."
    if indicator_id is not None and (
        record_kinds.get(INDICATOR_KIND) is None or not _belongs(INDICATOR_KIND, indicator_id, partnership)
    ):
        problems["indicator"] = "Choose an indicator of this partnership, or none."
    return problems


def _belongs(kind: str, ident: int, partnership: Any) -> bool:
    entry = record_kinds.get(kind)
    if entry is None:
        return False
    return any(ref.id == ident and ref.partnership_id == partnership.pk for ref in entry.resolve(ids=[ident]))


def you_said_we_did_save(
    *,
    by: Any,
    partnership: Any,
    theme: Theme,
    you_said: str,
    we_did: str,
    record_kind: str,
    record_id: int | None,
    indicator_id: int | None = None,
    entry: YouSaidWeDid | None = None,
    today: datetime.date | None = None,
) -> YouSaidWeDid:
    """Save an entry of the log; every "we did" must point at a decision or action of the partnership."""
    problems = _record_problems(partnership, record_kind, record_id, indicator_id)
    if theme.partnership_id != partnership.pk:
        problems["theme"] = "Choose a theme of this partnership."
    if not you_said.strip():
        problems["you_said"] = "Say in a sentence what people told you."
    if not we_did.strip():
        problems["we_did"] = "Say in a sentence what was done."
    if problems:
        raise ValidationError(problems)
    assert record_id is not None  # _record_problems refuses an entry without one
    with transaction.atomic():
        row = entry or YouSaidWeDid(partnership=partnership, recorded_on=today or datetime.date.today())
        row.theme, row.you_said, row.we_did = theme, you_said.strip(), we_did.strip()
        row.record_kind, row.record_id, row.indicator_id = record_kind, record_id, indicator_id
        row.save()
        audit_record(
            by=by,
            verb=AuditVerb.YOU_SAID_WE_DID_SAVED,
            target=row,
            data={"theme": theme.name, "record": f"{record_kind}:{record_id}", "indicator": indicator_id},
        )
    return row
