"""Writes for the register. Keyword-only, the acting user as `by=`, one transaction, one audit event each.

The save services create a row (no instance given) or change one, and set only the fields their `…Fields`
names: any other keyword, a misspelt one included, raises TypeError and writes nothing (mypy catches it in
code; the check catches it in data, such as a form's cleaned_data). The audit event records the changes as
{field: [before, after]}, "before" read from the stored row, so a caller need not keep an untouched copy.

None of these transactions is durable: the demo builds the whole of Northshire through them inside one
transaction. (The organisation import, in `imports/`, is: it runs from a request, a command or a job.)
"""

from __future__ import annotations

import datetime
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from joinedup.accounts.models import User
from joinedup.core.choices import AuditVerb
from joinedup.core.services import audit_record, model_copy, model_edit
from joinedup.register.choices import EventKind, MembershipRole
from joinedup.register.models import (
    IDENTIFIER_FIELDS,
    Affiliation,
    Membership,
    Organisation,
    Partnership,
    Person,
    TimelineEvent,
)
from joinedup.register.roles import coordinator_make


class OrganisationFields(TypedDict, total=False):
    name: str
    sector: str
    org_type: str
    ods_code: str
    charity_number: str
    company_number: str
    org_id: str
    gss_code: str
    cqc_provider_id: str
    cqc_location_id: str
    area: str
    address: str
    postcode: str
    opened: datetime.date | None
    closed: datetime.date | None


class PersonFields(TypedDict, total=False):
    name: str
    email: str
    job_title: str
    profession: str
    profession_other: str
    user: User | None


class AffiliationFields(TypedDict, total=False):
    person: Person
    organisation: Organisation
    job_title: str
    started: datetime.date | None
    ended: datetime.date | None


class PartnershipFields(TypedDict, total=False):
    name: str
    purpose: str
    kind: str
    status: str
    parent: Partnership | None
    area: str
    started: datetime.date
    ended: datetime.date | None


ORGANISATION_FIELDS = OrganisationFields.__optional_keys__
PERSON_FIELDS = PersonFields.__optional_keys__
AFFILIATION_FIELDS = AffiliationFields.__optional_keys__
PARTNERSHIP_FIELDS = PartnershipFields.__optional_keys__
MEMBERSHIP_FIELDS = frozenset({"role", "joined"})


def _check_dates(instance: Any, start: str, end: str, message: str) -> None:
    """Raise a field error on `end` when it falls before `start` (both optional)."""
    first, last = getattr(instance, start), getattr(instance, end)
    if first is not None and last is not None and last < first:
        raise ValidationError({end: message})


def _check_identifiers(instance: Organisation) -> None:
    """Name the identifier field that another organisation already uses (one query, only when any is set)."""
    given = {f: getattr(instance, f) for f in IDENTIFIER_FIELDS if getattr(instance, f)}
    if not given:
        return
    clash = Q()
    for field, value in given.items():
        clash |= Q(**{field: value})
    others = Organisation.objects.filter(clash).exclude(pk=instance.pk).only("name", *IDENTIFIER_FIELDS)
    errors: dict[str, str] = {}
    for other in others:
        for field, value in given.items():
            if getattr(other, field) == value and field not in errors:
                label = getattr(Organisation._meta.get_field(field), "verbose_name", field)
                errors[field] = f"{other.name} already has this {label}."
    if errors:
        raise ValidationError(errors)


def organisation_save(
    *, by: User | None, organisation: Organisation | None = None, **fields: Unpack[OrganisationFields]
) -> Organisation:
    """Create (organisation=None) or update an organisation; raises ValidationError naming the field."""
    with transaction.atomic():
        instance, changes = model_edit(
            Organisation, organisation, fields, service="organisation_save", allowed=ORGANISATION_FIELDS
        )
        _check_dates(instance, "opened", "closed", "The closing date must be on or after the opening date.")
        _check_identifiers(instance)
        instance.full_clean()
        if organisation is not None and not changes:
            return model_copy(instance, organisation)  # nothing changed: nothing to save or record
        instance.save()
        audit_record(
            by=by,
            verb=AuditVerb.ORGANISATION_CREATED if organisation is None else AuditVerb.ORGANISATION_UPDATED,
            target=instance,
            data=changes,
        )
    return model_copy(instance, organisation)


def person_save(*, by: User | None, person: Person | None = None, **fields: Unpack[PersonFields]) -> Person:
    with transaction.atomic():
        instance, changes = model_edit(Person, person, fields, service="person_save", allowed=PERSON_FIELDS)
        instance.full_clean()
        if person is not None and not changes:
            return model_copy(instance, person)  # nothing changed: nothing to save or record
        instance.save()
        audit_record(
            by=by,
            verb=AuditVerb.PERSON_CREATED if person is None else AuditVerb.PERSON_UPDATED,
            target=instance,
            data=changes,
        )
    return model_copy(instance, person)


def person_email_follow(user: User, old: str) -> None:
    """After `user` changed their account's address (accounts.email_change): the register's entry for them
    follows, where it held the old address or none (an address typed in for them on purpose is left alone)."""
    for person in Person.objects.filter(user=user).filter(Q(email__iexact=old) | Q(email="")):
        person_save(by=user, person=person, email=user.email)


def affiliation_save(
    *, by: User | None, affiliation: Affiliation | None = None, **fields: Unpack[AffiliationFields]
) -> Affiliation:
    with transaction.atomic():
        instance, changes = model_edit(
            Affiliation, affiliation, fields, service="affiliation_save", allowed=AFFILIATION_FIELDS
        )
        _check_dates(instance, "started", "ended", "The end date must be on or after the start date.")
        instance.full_clean()
        if affiliation is not None and not changes:
            return model_copy(instance, affiliation)  # nothing changed: nothing to save or record
        instance.save()
        audit_record(by=by, verb=AuditVerb.AFFILIATION_SAVED, target=instance, data=changes)
    return model_copy(instance, affiliation)


def partnership_save(
    *, by: User | None, partnership: Partnership | None = None, **fields: Unpack[PartnershipFields]
) -> Partnership:
    """Create or update a partnership. A new one gets a formation event; its creator becomes coordinator."""
    with transaction.atomic():
        instance, changes = model_edit(
            Partnership, partnership, fields, service="partnership_save", allowed=PARTNERSHIP_FIELDS
        )
        _check_dates(instance, "started", "ended", "The end date must be on or after the start date.")
        instance.full_clean()
        if instance.parent_id is not None and instance.pk is not None:
            ancestor: Partnership | None = instance.parent
            while ancestor is not None:
                if ancestor.pk == instance.pk:
                    raise ValidationError({"parent": "A partnership cannot sit inside itself."})
                ancestor = ancestor.parent
        if partnership is not None and not changes:
            return model_copy(instance, partnership)  # nothing changed: nothing to save or record
        instance.save()
        if partnership is None:
            TimelineEvent.objects.create(
                partnership=instance,
                kind=EventKind.FORMATION,
                date=instance.started,
                title=f"{instance.name} formed",
            )
            if by is not None and by.is_authenticated:
                coordinator_make(user=by, partnership=instance)
        audit_record(
            by=by,
            verb=AuditVerb.PARTNERSHIP_CREATED if partnership is None else AuditVerb.PARTNERSHIP_UPDATED,
            target=instance,
            data=changes,
        )
    return model_copy(instance, partnership)


def _check_representatives(
    *, by: User | None, organisation: Organisation, people: list[Person], record_affiliation: bool
) -> None:
    """A representative speaks for the organisation, so must work for (or volunteer with) it now: refuse anyone
    without a current affiliation, naming them, or (record_affiliation=True) record the affiliation from today."""
    if not people:
        return
    today = datetime.date.today()
    affiliated = set(
        Affiliation.objects.filter(
            Q(ended__isnull=True) | Q(ended__gte=today),
            organisation=organisation,
            person__in=people,
        ).values_list("person_id", flat=True)
    )
    strangers = sorted((p for p in people if p.pk not in affiliated), key=lambda p: (p.name, p.pk))
    if not strangers:
        return
    if not record_affiliation:
        names = _and_list([p.name for p in strangers])
        verb = "is" if len(strangers) == 1 else "are"
        message = (
            f"{names} {verb} not recorded as working for {organisation.name}. A representative must work for, "
            f"or volunteer with, the organisation they speak for: tick 'Record that they work for "
            f"{organisation.name}' if they do, or choose someone else."
        )
        raise ValidationError({"representatives": ValidationError(message, code="not_affiliated")})
    for person in strangers:
        affiliation_save(by=by, person=person, organisation=organisation, started=today)


def _and_list(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def membership_add(
    *,
    by: User | None,
    partnership: Partnership,
    organisation: Organisation,
    role: str = MembershipRole.MEMBER,
    joined: datetime.date,
    representatives: list[Person] | None = None,
    record_event: bool = True,
    record_affiliation: bool = False,
) -> Membership:
    """Add an organisation to a partnership, with a 'member joined' event on the timeline.

    Every representative must be affiliated with the organisation now (see `_check_representatives`)."""
    with transaction.atomic():
        if Membership.objects.filter(
            partnership=partnership, organisation=organisation, left__isnull=True
        ).exists():
            raise ValidationError({"organisation": f"{organisation} is already a current member."})
        _check_representatives(
            by=by,
            organisation=organisation,
            people=representatives or [],
            record_affiliation=record_affiliation,
        )
        membership = Membership(partnership=partnership, organisation=organisation, role=role, joined=joined)
        membership.full_clean(validate_constraints=False)
        membership.save()
        if representatives:
            membership.representatives.set(representatives)
        if record_event:
            TimelineEvent.objects.create(
                partnership=partnership,
                organisation=organisation,
                kind=EventKind.MEMBER_JOINED,
                date=joined,
                title=f"{organisation} joined",
            )
        audit_record(
            by=by,
            verb=AuditVerb.MEMBERSHIP_ADDED,
            target=membership,
            data={"role": role, "joined": str(joined)},
        )
    return membership


def membership_update(
    *,
    by: User | None,
    membership: Membership,
    role: str,
    joined: datetime.date,
    representatives: list[Person] | None = None,
    record_affiliation: bool = False,
) -> Membership:
    """Change a membership's role, joining date and (if given) representatives.

    Representatives added must be affiliated with the organisation now; those kept may have left it since they
    were chosen (the picker marks them), so a role change is not refused for someone else's old record."""
    with transaction.atomic():
        if representatives is not None:
            kept = set(membership.representatives.values_list("pk", flat=True))
            _check_representatives(
                by=by,
                organisation=membership.organisation,
                people=[p for p in representatives if p.pk not in kept],
                record_affiliation=record_affiliation,
            )
        row, changes = model_edit(
            Membership,
            membership,
            {"role": role, "joined": joined},
            service="membership_update",
            allowed=MEMBERSHIP_FIELDS,
        )
        if row.left is not None and joined > row.left:
            raise ValidationError({"joined": "The joining date must be on or before the leaving date."})
        row.full_clean(validate_constraints=False)
        row.save()
        if representatives is not None:
            row.representatives.set(representatives)
        audit_record(by=by, verb=AuditVerb.MEMBERSHIP_UPDATED, target=row, data=changes)
    return model_copy(row, membership)


def membership_end(
    *, by: User | None, membership: Membership, left: datetime.date, reason: str = ""
) -> Membership:
    """Record that an organisation left; the membership stays in the history."""
    with transaction.atomic():
        if membership.left is not None:
            raise ValidationError({"left": "This membership has already ended."})
        if left < membership.joined:
            raise ValidationError({"left": "The leaving date must be on or after the joining date."})
        membership.left = left
        membership.save(update_fields=["left"])
        TimelineEvent.objects.create(
            partnership=membership.partnership,
            organisation=membership.organisation,
            kind=EventKind.MEMBER_LEFT,
            date=left,
            title=f"{membership.organisation} left",
            description=reason,
        )
        audit_record(
            by=by,
            verb=AuditVerb.MEMBERSHIP_ENDED,
            target=membership,
            data={"left": str(left), "reason": reason},
        )
    return membership


def event_record(
    *,
    by: User | None,
    kind: str,
    date: datetime.date,
    title: str,
    description: str = "",
    partnership: Partnership | None = None,
    organisation: Organisation | None = None,
) -> TimelineEvent:
    with transaction.atomic():
        event = TimelineEvent(
            kind=kind,
            date=date,
            title=title,
            description=description,
            partnership=partnership,
            organisation=organisation,
        )
        event.full_clean()
        event.save()
        audit_record(
            by=by, verb=AuditVerb.EVENT_RECORDED, target=event, data={"kind": kind, "date": str(date)}
        )
    return event
