"""Who may see which people of the register, and their contact details (DESIGN.md §6, ADR 2).

- A person's contact details (e-mail address) are shown only to site admins and to the coordinators of a
  partnership the person belongs to: Permission.PERSON_CONTACT_VIEW, held in that partnership.
- Service users and carers (`register.choices.PROTECTED_PROFESSIONS` or an affiliation with an organisation of
  `PROTECTED_SECTORS`) are listed only to those same people; everyone else on the register is listed to every
  signed-in user, without contact details.

A person *belongs to* a partnership when they have a current affiliation with a current member organisation,
or represent an organisation in it. Everything here is one queryset (subqueries, no per-person queries):
`people_visible_to` filters and annotates `contact_shown` on each person.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value

from joinedup.core.permissions import Permission, has_permission, partnership_ids_with
from joinedup.register.choices import PROTECTED_PROFESSIONS, PROTECTED_SECTORS
from joinedup.register.models import Affiliation, Membership, Person


def sees_every_contact(user: Any) -> bool:
    """A site admin: every person and every contact detail."""
    return has_permission(user, Permission.PERSON_CONTACT_VIEW)


def belongs_to(partnership_ids: Collection[int]) -> Q:
    """People who belong to one of the partnerships (see the module's docstring)."""
    today = datetime.date.today()
    affiliated = Affiliation.objects.filter(
        Q(ended__isnull=True) | Q(ended__gt=today),
        organisation__memberships__partnership_id__in=list(partnership_ids),
        organisation__memberships__left__isnull=True,
    ).values("person_id")
    representing = Membership.representatives.through.objects.filter(
        membership__partnership_id__in=list(partnership_ids)
    ).values("person_id")
    return Q(pk__in=affiliated) | Q(pk__in=representing)


def protected() -> Q:
    """Service users and carers."""
    at_protected = Affiliation.objects.filter(organisation__sector__in=sorted(PROTECTED_SECTORS)).values(
        "person_id"
    )
    return Q(profession__in=sorted(PROTECTED_PROFESSIONS)) | Q(pk__in=at_protected)


def people_visible_to(user: Any, people: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """The people `user` may see, each annotated with `contact_shown` (may `user` see their e-mail?)."""
    people = Person.objects.all() if people is None else people
    if sees_every_contact(user):
        return people.annotate(contact_shown=Value(True, output_field=BooleanField()))
    coordinated = partnership_ids_with(user, Permission.PERSON_CONTACT_VIEW)
    if not coordinated:
        return people.exclude(protected()).annotate(contact_shown=Value(False, output_field=BooleanField()))
    theirs = belongs_to(coordinated)
    return people.filter(~protected() | theirs).annotate(
        contact_shown=ExpressionWrapper(theirs, output_field=BooleanField())
    )


def contact_search(user: Any, text: str) -> Q:
    """Matching `text` in e-mail addresses only among people whose contact details `user` may see (otherwise
    a search would tell whether someone's address contains it)."""
    if sees_every_contact(user):
        return Q(email__icontains=text)
    coordinated = partnership_ids_with(user, Permission.PERSON_CONTACT_VIEW)
    if not coordinated:
        return Q(pk__in=[])
    return Q(email__icontains=text) & belongs_to(coordinated)
