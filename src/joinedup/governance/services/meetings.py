"""Meetings, their agenda items, papers and attendance, and the partnership's quorum rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from joinedup.accounts.models import User
from joinedup.core.choices import AuditVerb
from joinedup.core.services import audit_record, model_copy, model_edit
from joinedup.governance.choices import (
    EXECUTABLE_MAGIC,
    PAPER_EXTENSIONS,
    PAPER_MAX_BYTES,
    AttendanceStatus,
    MeetingState,
)
from joinedup.governance.models import AgendaItem, Attendance, Meeting, Paper, QuorumRule
from joinedup.register.choices import Sector
from joinedup.register.models import Membership, Organisation, Partnership, Person


def _invalid(exc: ValidationError, prefix: str) -> ValidationError:
    return ValidationError(f"{prefix}: " + " ".join(exc.messages))


# ---- the quorum rule ------------------------------------------------------------------------------------


def quorum_rule_save(
    *,
    by: User | None,
    partnership: Partnership,
    min_count: int | None,
    min_share_percent: int | None,
    constituencies: list[tuple[str, int]],
    source: str = "",
) -> QuorumRule:
    """Set the partnership's quorum rule. `constituencies`: (organisation sector, minimum) pairs."""
    errors: dict[str, list[str]] = {}
    for sector, minimum in constituencies:
        if sector not in Sector.values:
            errors.setdefault("constituencies", []).append(f"{sector!r} is not an organisation sector.")
        if minimum < 1:
            errors.setdefault("constituencies", []).append(
                f"The minimum for {Sector(sector).label if sector in Sector.values else sector} must be at least 1."
            )
    if len({s for s, _ in constituencies}) != len(constituencies):
        errors.setdefault("constituencies", []).append("Name each sector once.")
    if min_count is not None and min_count < 0:
        errors["min_count"] = ["The minimum number cannot be negative."]
    if min_share_percent is not None and not 0 <= min_share_percent <= 100:
        errors["min_share_percent"] = ["Give a share between 0 and 100 per cent."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule, _ = QuorumRule.objects.select_for_update().get_or_create(partnership=partnership)
        before = [rule.min_count, rule.min_share_percent, rule.constituencies, rule.source]
        rule.min_count, rule.min_share_percent = min_count, min_share_percent
        rule.constituencies = [{"sector": s, "minimum": m} for s, m in constituencies]
        rule.source = source
        rule.save()
        audit_record(
            by=by,
            verb=AuditVerb.QUORUM_RULE_SAVED,
            target=rule,
            data={"before": before, "after": [min_count, min_share_percent, rule.constituencies, source]},
        )
    return rule


# ---- meetings -----------------------------------------------------------------------------------------------


class MeetingFields(TypedDict, total=False):
    kind: str
    state: str
    title: str
    start: datetime.datetime
    end: datetime.datetime | None
    place: str
    online: bool


MEETING_FIELDS = frozenset(MeetingFields.__annotations__)


def meeting_save(
    *,
    by: User | None,
    partnership: Partnership | None = None,
    meeting: Meeting | None = None,
    **fields: Unpack[MeetingFields],
) -> Meeting:
    """Schedule a meeting (meeting=None, partnership given) or change one; raises ValidationError by field."""
    if (meeting is None) == (partnership is None):
        raise TypeError("meeting_save() takes a partnership for a new meeting, or the meeting to change")
    with transaction.atomic():
        row, changes = model_edit(Meeting, meeting, fields, service="meeting_save", allowed=MEETING_FIELDS)
        if partnership is not None:
            row.partnership = partnership
        if row.end is not None and row.start is not None and row.end < row.start:
            raise ValidationError({"end": "The meeting must end after it starts."})
        if not row.place and not row.online:
            raise ValidationError({"place": "Say where the meeting is, or that it is online."})
        row.full_clean()
        if meeting is not None and not changes:
            return model_copy(row, meeting)
        row.save()
        if meeting is None:
            verb = AuditVerb.MEETING_SCHEDULED
        elif "state" in changes and row.state == MeetingState.HELD:
            verb = AuditVerb.MEETING_HELD
        elif "state" in changes and row.state == MeetingState.CANCELLED:
            verb = AuditVerb.MEETING_CANCELLED
        else:
            verb = AuditVerb.MEETING_UPDATED
        audit_record(by=by, verb=verb, target=row, data=changes)
    return model_copy(row, meeting)


def agenda_item_save(
    *,
    by: User | None,
    meeting: Meeting,
    item: AgendaItem | None = None,
    number: int,
    title: str,
    is_private: bool = False,
    note: str = "",
) -> AgendaItem:
    """Add an agenda item to the meeting (item=None) or change one; numbers are unique in the meeting."""
    with transaction.atomic():
        row, changes = model_edit(
            AgendaItem,
            item,
            {"number": number, "title": title, "is_private": is_private, "note": note},
            service="agenda_item_save",
            allowed={"number", "title", "is_private", "note"},
        )
        row.meeting = meeting
        taken = AgendaItem.objects.filter(meeting=meeting, number=number).exclude(pk=row.pk).exists()
        if taken:
            raise ValidationError({"number": f"This meeting already has an item {number}."})
        row.full_clean()
        if item is not None and not changes:
            return model_copy(row, item)
        row.save()
        audit_record(by=by, verb=AuditVerb.AGENDA_ITEM_SAVED, target=row, data=changes)
    return model_copy(row, item)


def paper_check(upload: UploadedFile) -> str:
    """The file's name if it may be a meeting paper; raises ValidationError saying why not."""
    name = PurePath(upload.name or "paper").name[:200]
    suffix = PurePath(name).suffix.lower()
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": "The file is empty."})
    if upload.size > PAPER_MAX_BYTES:
        raise ValidationError(
            {
                "file": f"The file is larger than {PAPER_MAX_BYTES // (1024 * 1024)} MB: make it smaller or split it."
            }
        )
    if suffix not in PAPER_EXTENSIONS:
        raise ValidationError(
            {
                "file": f"A paper must be a document, spreadsheet, presentation, PDF or image, not a {suffix or 'file without an extension'} file."
            }
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError({"file": "This file is a program, which cannot be a paper."})
    return name


def paper_add(
    *,
    by: User | None,
    meeting: Meeting,
    upload: UploadedFile,
    title: str,
    item: AgendaItem | None = None,
    is_private: bool = False,
) -> Paper:
    """Keep a file as a paper of the meeting (no programs; at most PAPER_MAX_BYTES)."""
    name = paper_check(upload)
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "That agenda item belongs to another meeting."})
    if not title.strip():
        raise ValidationError({"title": "Give the paper a title."})
    with transaction.atomic():
        paper = Paper(
            meeting=meeting,
            item=item,
            title=title.strip(),
            filename=name,
            size=upload.size or 0,
            is_private=is_private,
            uploaded_by=by if by is not None and by.is_authenticated else None,
        )
        paper.file.save(name, upload, save=False)
        try:
            paper.save()
            audit_record(
                by=by,
                verb=AuditVerb.MEETING_PAPER_ADDED,
                target=paper,
                data={"title": paper.title, "file": name, "bytes": paper.size, "private": paper.private},
            )
        except Exception:
            paper.file.delete(save=False)  # keep no file for a paper that was not recorded
            raise
    return paper


# ---- attendance ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    """One person's attendance, for an organisation; `substitute_for` names whom a substitute stands in for."""

    organisation: Organisation
    status: str
    name: str = ""
    person: Person | None = None
    substitute_for: str = ""


def _check_row(number: int, row: AttendanceRow, allowed: set[int], seen: set[tuple[int, str]]) -> list[str]:
    where = f"Row {number} ({row.organisation.name})"
    found = []
    if row.organisation.pk not in allowed:
        found.append(f"{where}: this organisation is not a member of the partnership.")
    if row.status not in AttendanceStatus.values:
        found.append(f"{where}: choose how they attended.")
    if row.status == AttendanceStatus.SUBSTITUTE and not row.substitute_for.strip():
        found.append(f"{where}: say whom the substitute stands in for.")
    if row.status != AttendanceStatus.SUBSTITUTE and row.substitute_for.strip():
        found.append(f"{where}: only a substitute stands in for someone; choose 'Present as a substitute'.")
    key = (row.organisation.pk, row.name.strip())
    if key in seen:
        found.append(f"{where}: {row.name or 'this organisation'} is listed twice.")
    seen.add(key)
    return found


def attendance_record(*, by: User | None, meeting: Meeting, rows: list[AttendanceRow]) -> list[Attendance]:
    """Replace the meeting's attendance with `rows`, all or nothing; problems name the row. Recording
    attendance for a scheduled meeting records it as held."""
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError("This meeting was cancelled, so nobody attended it.")
    allowed = set(
        Membership.objects.filter(partnership=meeting.partnership_id).values_list(
            "organisation_id", flat=True
        )
    )
    seen: set[tuple[int, str]] = set()
    problems = [p for n, row in enumerate(rows, start=1) for p in _check_row(n, row, allowed, seen)]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        Attendance.objects.filter(meeting=locked).delete()
        saved = Attendance.objects.bulk_create(
            [
                Attendance(
                    meeting=locked,
                    organisation=row.organisation,
                    person=row.person,
                    name=row.name.strip(),
                    status=row.status,
                    substitute_for=row.substitute_for.strip(),
                )
                for row in rows
            ]
        )
        summary: dict[str, Any] = {}
        for row in rows:
            summary[row.status] = summary.get(row.status, 0) + 1
        audit_record(
            by=by, verb=AuditVerb.ATTENDANCE_RECORDED, target=locked, data={"rows": len(rows), **summary}
        )
        if locked.state == MeetingState.SCHEDULED:
            locked.state = MeetingState.HELD
            locked.save(update_fields=["state", "updated_at"])
            audit_record(
                by=by, verb=AuditVerb.MEETING_HELD, target=locked, data={"state": ["scheduled", "held"]}
            )
            meeting.state = MeetingState.HELD
    return saved
