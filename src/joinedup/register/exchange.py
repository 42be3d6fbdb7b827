"""The register's share of the JSON export (core.exchange_spec): user accounts (e-mail and name only),
organisations, people with their affiliations, partnerships with their memberships, roles and timeline events.

Keys: a user is named by their e-mail address; an organisation by its org-id, ODS, charity or company number
when it has one ("ods-rxx"), else by its name ("northshire-council", "-2" for a second of that name); people
and partnerships by their names. Not exported: passwords and sign-in data, API tokens, pending role invitations
and e-mail changes (their links are secrets of this installation, and would not work in another).
"""

from __future__ import annotations

from typing import Any

from joinedup.accounts.models import User
from joinedup.core.exchange_spec import Table, slug_keys
from joinedup.register.models import (
    IDENTIFIER_FIELDS,
    Affiliation,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Person,
    TimelineEvent,
)


def user_keys() -> dict[int, str]:
    return dict(User.objects.values_list("pk", "email"))


def organisation_keys() -> dict[int, str]:
    rows = Organisation.objects.order_by("pk").values("pk", "name", *IDENTIFIER_FIELDS)
    keys: dict[int, str] = {}
    named: list[tuple[int, str]] = []
    for row in rows:
        for field in ("org_id", "ods_code", "charity_number", "company_number"):
            if row[field]:
                keys[row["pk"]] = f"{field.split('_')[0]}-{row[field]}".lower()
                break
        else:
            named.append((row["pk"], row["name"]))
    taken = set(keys.values())
    for pk, key in slug_keys(named).items():
        while key in taken:
            key += "-x"
        keys[pk] = key
    return keys


def person_keys() -> dict[int, str]:
    return slug_keys(list(Person.objects.order_by("pk").values_list("pk", "name")))


def partnership_keys() -> dict[int, str]:
    return slug_keys(list(Partnership.objects.order_by("pk").values_list("pk", "name")))


def _in_scope(queryset: Any, scope: Any) -> Any:
    return queryset if scope.whole else queryset.filter(pk=scope.partnership.pk)


def _users_dump(row: Any, record: dict[str, Any]) -> dict[str, Any]:
    record["name"] = row.full_name
    record["active"] = row.is_active
    return record


def _users_prepare(record: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password

    email = record["key"].lower()
    return {
        **values,
        "email": email,
        "username": email,
        "full_name": record["name"],
        "is_active": record["active"],
        "password": make_password(None),  # no password travels: they set one, or sign in by single sign-on
    }


def _parent_in_scope(row: Any, record: dict[str, Any]) -> dict[str, Any]:
    from joinedup.core.exchange_export import current

    scope = current().scope
    if not scope.whole and row.parent_id is not None:
        record["parent"] = None  # the parent partnership is not in a one-partnership export
    return record


users = Table(
    name="users",
    model=User,
    parent=None,
    key="user",
    dump=_users_dump,
    prepare=_users_prepare,
    extra={"name": {"type": "string", "maxLength": 200}, "active": {"type": "boolean"}},
    left_out=(  # the e-mail address is the key; name and active are written by _users_dump
        *("email", "username", "full_name", "is_active"),
        *("password", "last_login", "is_superuser", "is_staff", "groups", "user_permissions"),
        *("first_name", "last_name", "date_joined"),
    ),
)

affiliations = Table(
    name="affiliations",
    model=Affiliation,
    parent="person",
    fields=("job_title", "started", "ended"),
    refs={"organisation": "organisation"},
)

organisation_events = Table(
    name="events",
    model=TimelineEvent,
    parent="organisation",
    fields=("kind", "date", "title", "description"),
    rows=lambda queryset, scope: queryset.filter(partnership__isnull=True),
    left_out=("partnership",),  # empty: an organisation's own events
)

organisations = Table(
    name="organisations",
    model=Organisation,
    parent=None,
    key="organisation",
    fields=(
        "name",
        "sector",
        "org_type",
        *IDENTIFIER_FIELDS,
        "gss_code",
        "cqc_provider_id",
        "cqc_location_id",
        "area",
        "address",
        "postcode",
        "opened",
        "closed",
        "created_at",
        "updated_at",
    ),
    children=(organisation_events,),
)

people = Table(
    name="people",
    model=Person,
    parent=None,
    key="person",
    fields=("name", "email", "profession", "profession_other", "job_title"),
    refs={"user": "user"},
    children=(affiliations,),
    left_out=("organisations",),  # the affiliations
)

partnerships = Table(
    name="partnerships",
    model=Partnership,
    parent=None,
    key="partnership",
    fields=("name", "purpose", "kind", "status", "area", "started", "ended", "created_at", "updated_at"),
    refs={"parent": "partnership"},
    rows=_in_scope,
    dump=_parent_in_scope,
)

memberships = Table(
    name="memberships",
    model=Membership,
    fields=("role", "joined", "left"),
    refs={"organisation": "organisation"},
    many={"representatives": "person"},
)

roles = Table(
    name="roles",
    model=PartnershipRole,
    fields=("role", "is_signatory"),
    refs={"user": "user", "organisation": "organisation"},
)

events = Table(
    name="events",
    model=TimelineEvent,
    fields=("kind", "date", "title", "description"),
    refs={"organisation": "organisation"},
)

TOP = (users, organisations, people, partnerships)
INNER = (memberships, roles, events)
NATURAL_KEYS = (
    ("user", user_keys),
    ("organisation", organisation_keys),
    ("person", person_keys),
    ("partnership", partnership_keys),
)
