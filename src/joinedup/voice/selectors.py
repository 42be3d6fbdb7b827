"""Reads of the voice app (never write). Figures come only from `results`, which applies disclosure control
(`voice.release`, through `analysis.disclosure`) to every group it returns: the page, the CSV, the API and the
public page all call it."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.crypto import salted_hmac

from joinedup.analysis.disclosure import WHOLE, Shown
from joinedup.core.permissions import Permission, has_permission
from joinedup.core.registry import RecordRef, ResultLink, records_resolve
from joinedup.register.models import Person
from joinedup.voice.choices import INDICATOR_KIND, MIN_FEEDBACK_GROUP, CommentStatus
from joinedup.voice.instrument import FeedbackInstrument, shipped
from joinedup.voice.models import (
    FeedbackComment,
    FeedbackForm,
    FeedbackRelease,
    FeedbackResponse,
    Theme,
    YouSaidWeDid,
)
from joinedup.voice.release import (
    MONTH,
    SERVICE,
    SERVICE_MONTH,
    Row,
    release_chain,
    service_month,
    statement_cell,
)


def known_names(*, partnership_id: int) -> list[str]:
    """Names of the people the register knows in the partnership's current member organisations (for
    screening comments)."""
    return list(
        Person.objects.filter(
            affiliations__organisation__memberships__partnership_id=partnership_id,
            affiliations__organisation__memberships__left__isnull=True,
        )
        .values_list("name", flat=True)
        .distinct()
    )


def forms_for(*, partnership: Any) -> QuerySet[FeedbackForm]:
    return (
        FeedbackForm.objects.filter(partnership=partnership)
        .select_related("safeguarding_lead")
        .annotate(answers=Count("responses"))
    )


def form_by_code(code: str) -> FeedbackForm | None:
    return FeedbackForm.objects.select_related("partnership").filter(code=code.lower()).first()


def form_get(*, pk: int) -> FeedbackForm | None:
    return FeedbackForm.objects.select_related("partnership", "safeguarding_lead").filter(pk=pk).first()


# ---- figures -----------------------------------------------------------------------------------------------


def month_key(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_label(key: str) -> str:
    year, month = key.split("-")
    return datetime.date(int(year), int(month), 1).strftime("%B %Y")


@dataclass(frozen=True)
class StatementFigure:
    key: str
    short: str
    text: str
    answered: int | None = None  # None: hidden
    agree: int | None = None
    dont_know: int | None = None

    @property
    def share(self) -> int | None:
        if not self.answered or self.agree is None:
            return None
        return round(100 * self.agree / self.answered)


@dataclass(frozen=True)
class Figure:
    """One released group: how many answered, how many said very good or good, and each statement's agreement.
    `shown` False: the group is hidden (fewer than k answers, or it would give a hidden group away)."""

    label: str
    shown: bool
    answers: int | None = None
    good: int | None = None
    statements: tuple[StatementFigure, ...] = ()

    @property
    def share(self) -> int | None:
        if not self.answers or self.good is None:
            return None
        return round(100 * self.good / self.answers)


@dataclass
class Results:
    k: int
    months: list[str] = field(default_factory=list)  # complete months with any answers, oldest first
    whole: Figure | None = None
    by_month: list[Figure] = field(default_factory=list)
    by_form: list[tuple[FeedbackForm, Figure, list[Figure]]] = field(default_factory=list)
    shown: Shown = field(default_factory=Shown)
    answers_this_month: int = 0  # not released until the month ends

    @property
    def period(self) -> str:
        if not self.months:
            return ""
        first, last = month_label(self.months[0]), month_label(self.months[-1])
        return f"in {first}" if first == last else f"from {first} to {last}"

    @property
    def hidden_months(self) -> int:
        return sum(1 for f in self.by_month if not f.shown)

    def month_shown(self, form_id: int, month: str) -> bool:
        return (SERVICE_MONTH, service_month(form_id, month)) in self.shown.groups


def _figure(
    label: str, key: tuple[str, Any], members: list[Row], shown: Shown, instrument: FeedbackInstrument
) -> Figure:
    if key not in shown.groups:
        return Figure(label=label, shown=False)
    good = sum(1 for r in members if r.overall in instrument.positive_overall)
    statements = []
    for s in instrument.statements:
        if key not in shown.cells.get(statement_cell(s.key), set()):
            statements.append(StatementFigure(s.key, s.short, s.text))
            continue
        answers = Counter(r.statements[s.key] for r in members if s.key in r.statements)
        statements.append(
            StatementFigure(
                s.key,
                s.short,
                s.text,
                answered=sum(answers.values()),
                agree=sum(answers[a] for a in instrument.agree_keys),
                dont_know=answers["dont_know"],
            )
        )
    return Figure(label=label, shown=True, answers=len(members), good=good, statements=tuple(statements))


def release_rows(*, partnership: Any, today: datetime.date) -> tuple[list[Row], int]:
    """The partnership's answers of complete months, as plain rows (oldest first), and how many were sent this
    month (one query)."""
    month_start = today.replace(day=1)
    raw = FeedbackResponse.objects.filter(form__partnership=partnership).values_list(
        "form_id", "submitted_on", "overall", "statements"
    )
    rows: list[Row] = []
    this_month = 0
    for form_id, day, overall, statements in raw.order_by("submitted_on", "pk"):
        if day >= month_start:
            this_month += 1
            continue
        rows.append(Row(form_id, month_key(day), overall, dict(statements or {})))
    return rows, this_month


def smallest_group(forms: list[FeedbackForm]) -> int:
    return max([f.min_group_size for f in forms] + [MIN_FEEDBACK_GROUP])


def stored_releases(*, partnership: Any) -> dict[str, Shown]:
    return {
        month: Shown.from_dict(shown)
        for month, shown in FeedbackRelease.objects.filter(partnership=partnership).values_list(
            "month", "shown"
        )
    }


def results(*, partnership: Any, today: datetime.date | None = None) -> Results:
    """The partnership's released feedback figures (three queries): complete months only, as the release of the
    last complete month showed them (kept by `services.releases_make`; one not yet kept is worked out here
    without keeping it), through disclosure control with the largest smallest-group of its forms (at least 10)."""
    today = today or datetime.date.today()
    forms = list(FeedbackForm.objects.filter(partnership=partnership).order_by("service", "pk"))
    k = smallest_group(forms)
    instrument = shipped()
    rows, this_month = release_rows(partnership=partnership, today=today)
    keys = [s.key for s in instrument.statements]
    chain = release_chain(rows, keys, k, stored_releases(partnership=partnership)) if rows else {}
    shown = chain[max(chain)] if chain else Shown()
    months = sorted({r.month for r in rows})
    out = Results(k=k, months=months, shown=shown, answers_this_month=this_month)
    out.whole = _figure("The whole period", (WHOLE, None), rows, shown, instrument)
    for month in months:
        members = [r for r in rows if r.month == month]
        out.by_month.append(_figure(month_label(month), (MONTH, month), members, shown, instrument))
    for form in forms:
        mine = [r for r in rows if r.form == form.pk]
        if not mine:
            continue
        figure = _figure(form.service_label, (SERVICE, form.pk), mine, shown, instrument)
        monthly = [
            _figure(
                month_label(m),
                (SERVICE_MONTH, service_month(form.pk, m)),
                [r for r in mine if r.month == m],
                shown,
                instrument,
            )
            for m in months
        ]
        out.by_form.append((form, figure, monthly))
    return out


# ---- comments ----------------------------------------------------------------------------------------------


def _comments(partnership: Any) -> QuerySet[FeedbackComment]:
    return FeedbackComment.objects.filter(response__form__partnership=partnership).select_related(
        "response__form"
    )


@dataclass(frozen=True)
class Queue:
    waiting: list[FeedbackComment]
    counts: dict[str, int]
    safeguarding: int


def moderation_queue(*, partnership: Any, status: str = CommentStatus.WAITING) -> Queue:
    """Comments for moderators, in a keyed shuffle (not the order they were sent), with counts by status."""
    counts = {s: 0 for s in CommentStatus.values}
    for row in _comments(partnership).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    safeguarding = _comments(partnership).filter(safeguarding=True, safeguarding_seen=False).count()
    found = list(_comments(partnership).filter(status=status).prefetch_related("themes"))
    found.sort(key=lambda c: _shuffle_key(c.pk))
    return Queue(waiting=found, counts=counts, safeguarding=safeguarding)


def _shuffle_key(pk: int) -> str:
    return salted_hmac("joinedup.voice.comment-order", str(pk)).hexdigest()


def comment_get(*, pk: int) -> FeedbackComment | None:
    return (
        FeedbackComment.objects.select_related(
            "response__form__partnership", "response__form__safeguarding_lead"
        )
        .prefetch_related("themes")
        .filter(pk=pk)
        .first()
    )


def published_comments(*, partnership: Any, released: Results) -> list[FeedbackComment]:
    """Published comments of months whose figures are released (the group of the form's month is shown),
    shuffled: no date is shown with them."""
    found = [
        c
        for c in _comments(partnership).filter(status=CommentStatus.PUBLISHED).prefetch_related("themes")
        if released.month_shown(c.response.form_id, month_key(c.response.submitted_on))
    ]
    found.sort(key=lambda c: _shuffle_key(c.pk))
    return found


def themes_for(*, partnership: Any) -> QuerySet[Theme]:
    return Theme.objects.filter(partnership=partnership).annotate(
        tagged=Count("comments", distinct=True),
        published=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED), distinct=True),
    )


# ---- "you said, we did" ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    entry: YouSaidWeDid
    record: RecordRef | None
    indicator: RecordRef | None


def log_for(*, partnership: Any) -> list[LogEntry]:
    """The log, newest first, each entry with the records it points at (one resolve call per kind)."""
    entries = list(YouSaidWeDid.objects.filter(partnership=partnership).select_related("theme"))
    refs: list[tuple[str, int]] = [(e.record_kind, e.record_id) for e in entries]
    refs += [(INDICATOR_KIND, e.indicator_id) for e in entries if e.indicator_id is not None]
    found = records_resolve(refs)
    return [
        LogEntry(
            e,
            found.get((e.record_kind, e.record_id)),
            found.get((INDICATOR_KIND, e.indicator_id)) if e.indicator_id is not None else None,
        )
        for e in entries
    ]


# ---- the shell's hooks -------------------------------------------------------------------------------------


def partnership_section(*, user: Any, partnership: Any) -> dict[str, Any]:
    """The partnership page's feedback section: forms, answers so far, and (for moderators) comments
    waiting (two queries)."""
    forms = list(forms_for(partnership=partnership))
    moderator = has_permission(user, Permission.FEEDBACK_MODERATE, partnership)
    waiting = (
        _comments(partnership).filter(status=CommentStatus.WAITING).count() if moderator and forms else None
    )
    return {
        "voice_forms": forms,
        "voice_answers": sum(getattr(f, "answers", 0) for f in forms),
        "voice_waiting": waiting,
    }


def place_results(*, user: Any, partnerships: list[Any]) -> list[ResultLink]:
    """Links to the feedback results of the partnerships given that have a feedback form (one query)."""
    ids = [p.pk for p in partnerships if has_permission(user, Permission.PARTNERSHIP_VIEW, p)]
    with_forms = set(
        FeedbackForm.objects.filter(partnership_id__in=ids)
        .values_list("partnership_id", flat=True)
        .distinct()
    )
    return [
        ResultLink(
            partnership_id=pk,
            title="Feedback from people who use services",
            url=reverse("voice:results", args=[pk]),
            note="by month; months with fewer than 10 answers are hidden",
        )
        for pk in sorted(with_forms)
    ]
