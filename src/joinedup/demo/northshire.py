"""Build Northshire, the fictional place of the demo, through the register's services.

    from joinedup.demo.northshire import build_northshire
    demo = build_northshire()            # the same place every time for the same seed
    demo["partnerships"]["mh"]           # the community mental health partnership

The build is deterministic: the static tables live in `data.py`, every random choice comes from
`random.Random(seed)`, and every date is fixed. It runs in one transaction and writes through the
services, so the audit log is filled as it would be by hand.

Later capabilities add their own demo data (agreements, assessment waves, ...) in one of two ways:

* a module `<app>/northshire.py` in any installed app with a function `extend_northshire(demo)`, found
  automatically in INSTALLED_APPS order; or
* `@register_extension` on a function taking the `Northshire` object (for code outside an app).

Extensions run after the base place is built, inside the same transaction, each with its own random
generator (`demo.rng_for("agreements")`) so adding one never changes the data another produces.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction

from joinedup.accounts.models import User
from joinedup.core.choices import RoleKind
from joinedup.demo import data
from joinedup.register import roles, services
from joinedup.register.choices import EventKind, Profession
from joinedup.register.models import (
    Affiliation,
    Membership,
    Organisation,
    Partnership,
    Person,
    TimelineEvent,
)

COORDINATOR_EMAIL = "coordinator@northshire.example"
PASSWORD = data.PASSWORD
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class Northshire:
    """The place being built, handed to every step and extension. Keys are the ones in `data.py`."""

    seed: int
    rng: random.Random
    by: User | None = None  # the acting user recorded in the audit log (None: the system)
    users: dict[str, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    staff: dict[str, list[str]] = field(default_factory=dict)  # organisation key -> person keys
    employer: dict[str, str] = field(default_factory=dict)  # person key -> organisation key
    affiliations: dict[str, Affiliation] = field(default_factory=dict)  # person key -> current affiliation
    partnerships: dict[str, Partnership] = field(default_factory=dict)
    memberships: dict[tuple[str, str], Membership] = field(default_factory=dict)  # (partnership, org) keys
    extra: dict[str, Any] = field(default_factory=dict)  # what extensions want build_northshire to return
    names: set[str] = field(default_factory=set)  # people's names so far, kept unique
    password_hash: str = ""  # the demo password, hashed once, for any user an extension adds

    def rng_for(self, name: str) -> random.Random:
        """A generator of its own for one extension, so extensions never shift each other's data."""
        return random.Random(f"{self.seed}:{name}")


Extension = Callable[[Northshire], None]
EXTENSIONS: list[Extension] = []


def register_extension(extension: Extension) -> Extension:
    """Decorator: run `extension(demo)` after the base place is built."""
    if extension not in EXTENSIONS:
        EXTENSIONS.append(extension)
    return extension


def extensions() -> list[Extension]:
    """Registered extensions, then each installed app's `northshire.extend_northshire`, in app order."""
    found = list(EXTENSIONS)
    for app in apps.get_app_configs():
        module_name = f"{app.name}.northshire"
        if module_name == __name__ or importlib.util.find_spec(module_name) is None:
            continue
        extend = getattr(importlib.import_module(module_name), "extend_northshire", None)
        if callable(extend) and extend not in found:
            found.append(extend)
    return found


def northshire_exists() -> bool:
    """Whether this database already holds the demo (its integrated care board is the marker)."""
    return Organisation.objects.filter(org_id="GB-NHS-Q9N").exists()


def build_northshire(*, seed: int = 2026) -> dict[str, Any]:
    """Build the whole demo in one transaction; return counts and the handy objects by key."""
    with transaction.atomic():
        demo = Northshire(seed=seed, rng=random.Random(seed))
        for step in (
            _users,
            _organisations,
            _people,
            _partnerships,
            _memberships,
            _mergers,
            _leader_changes,
            _events,
            _roles,
        ):
            step(demo)
        for extension in extensions():
            extension(demo)
    return {
        "seed": seed,
        "counts": {
            "organisations": Organisation.objects.count(),
            "people": Person.objects.count(),
            "affiliations": Affiliation.objects.count(),
            "partnerships": Partnership.objects.count(),
            "memberships": Membership.objects.count(),
            "events": TimelineEvent.objects.count(),
            "users": User.objects.count(),
        },
        "login": {"email": COORDINATOR_EMAIL, "password": PASSWORD},
        "users": demo.users,
        "organisations": demo.organisations,
        "people": demo.people,
        "partnerships": demo.partnerships,
        "memberships": demo.memberships,
        **demo.extra,
    }


# ---- the steps, in order ---------------------------------------------------------------------------


def _users(demo: Northshire) -> None:
    password = demo.password_hash = make_password(PASSWORD)  # hashed once: Argon2 is slow on purpose
    for key, email, _person, is_admin in data.USERS:
        user = User(
            email=email,
            full_name=data.USER_NAMES.get(key, ""),
            is_superuser=is_admin,
            is_staff=is_admin,
            password=password,
        )
        user.save()
        demo.users[key] = user


def _organisations(demo: Northshire) -> None:
    for org in data.ORGANISATIONS:
        demo.organisations[org.key] = services.organisation_save(
            by=demo.by,
            name=org.name,
            sector=org.sector,
            org_type=org.org_type,
            area=org.area,
            postcode=org.postcode,
            **dict[str, Any](org.ids),  # identifiers only (services.OrganisationFields)
        )


def _new_name(demo: Northshire, taken: set[str]) -> tuple[str, str]:
    while True:
        first, last = demo.rng.choice(data.FIRST_NAMES), demo.rng.choice(data.LAST_NAMES)
        if f"{first} {last}" not in taken:
            taken.add(f"{first} {last}")
            return first, last


def _add_person(
    demo: Northshire, *, key: str, org_key: str, job_title: str, profession: str, started: datetime.date
) -> Person:
    first, last = _new_name(demo, demo.names)
    user_key = next((u for u, _e, p, _a in data.USERS if p and p == key), "")
    user = demo.users.get(user_key)
    email = user.email if user else f"{first}.{last}@{org_key.replace('_', '-')}.northshire.example"
    person = services.person_save(
        by=demo.by,
        name=f"{first} {last}",
        email=email.lower().replace("'", ""),
        profession=profession,
        profession_other=data.PROFESSION_OTHER.get(job_title, "") if profession == Profession.OTHER else "",
        job_title=job_title,
        user=user,
    )
    if user is not None:
        user.full_name = person.name
        user.save(update_fields=["full_name"])
    demo.people[key] = person
    demo.staff.setdefault(org_key, []).append(key)
    demo.employer[key] = org_key
    demo.affiliations[key] = services.affiliation_save(
        by=demo.by,
        person=person,
        organisation=demo.organisations[org_key],
        job_title=job_title,
        started=started,
    )
    return person


def _people(demo: Northshire) -> None:
    rng = demo.rng
    nurses = set(
        rng.sample([o.key for o in data.ORGANISATIONS if o.staff == "gp"], data.EXTRA_PRACTICE_NURSES)
    )
    for org in data.ORGANISATIONS:
        staff = list(data.STAFF[org.staff])
        if org.key in nurses:
            staff.append(("Practice Nurse", Profession.NURSE, ""))
        for i, (job_title, profession, key) in enumerate(staff):
            started = datetime.date(rng.randint(2010, 2022), rng.randint(1, 12), 1)
            _add_person(
                demo,
                key=key or f"{org.key}:{i}",
                org_key=org.key,
                job_title=job_title,
                profession=profession,
                started=started,
            )


def _partnerships(demo: Northshire) -> None:
    for spec in data.PARTNERSHIPS:  # parents come before their children in the table
        coordinator = demo.users.get(data.COORDINATORS.get(spec.key, ""))
        demo.partnerships[spec.key] = services.partnership_save(
            by=coordinator or demo.by,
            name=spec.name,
            purpose=spec.purpose,
            kind=spec.kind,
            status=spec.status,
            parent=demo.partnerships[spec.parent] if spec.parent else None,
            area=spec.area,
            started=spec.started,
        )


def _memberships(demo: Northshire) -> None:
    for spec in data.MEMBERSHIPS:
        partnership = demo.partnerships[spec.partnership]
        joined = spec.joined or partnership.started
        if spec.reps:
            reps = [demo.people[k] for k in spec.reps]
        else:
            staff = demo.staff[spec.organisation]
            reps = [
                demo.people[k] for k in demo.rng.sample(staff, min(len(staff), demo.rng.choice((1, 1, 2))))
            ]
        membership = services.membership_add(
            by=demo.by,
            partnership=partnership,
            organisation=demo.organisations[spec.organisation],
            role=spec.role,
            joined=joined,
            representatives=reps,
            record_event=joined != partnership.started,
        )
        if spec.left:
            services.membership_end(by=demo.by, membership=membership, left=spec.left, reason=spec.reason)
        demo.memberships[(spec.partnership, spec.organisation)] = membership


def _replace_representative(demo: Northshire, old: Person, new: Person) -> None:
    for membership in Membership.objects.filter(representatives=old, left__isnull=True).order_by("pk"):
        reps = list(membership.representatives.order_by("pk"))
        services.membership_update(
            by=demo.by,
            membership=membership,
            role=membership.role,
            joined=membership.joined,
            representatives=[new if p == old else p for p in reps],
        )


def _mergers(demo: Northshire) -> None:
    """One organisation closes into another: its memberships end and its staff move across."""
    for gone_key, into_key, date, new_name in data.MERGERS:
        gone, into = demo.organisations[gone_key], demo.organisations[into_key]
        old_name = into.name
        services.organisation_save(by=demo.by, organisation=gone, closed=date - ONE_DAY)
        if new_name:
            services.organisation_save(by=demo.by, organisation=into, name=new_name)
        title = f"{gone.name} merges into {old_name}" + (f", now {new_name}" if new_name else "")
        for org in (gone, into):
            services.event_record(by=demo.by, kind=EventKind.MERGER, date=date, title=title, organisation=org)
        for (p_key, o_key), membership in demo.memberships.items():
            if o_key == gone_key and membership.left is None:
                services.membership_end(
                    by=demo.by, membership=membership, left=date - ONE_DAY, reason=f"Merged into {into.name}."
                )
                if (p_key, into_key) not in demo.memberships:
                    demo.memberships[(p_key, into_key)] = services.membership_add(
                        by=demo.by,
                        partnership=membership.partnership,
                        organisation=into,
                        role=membership.role,
                        joined=date,
                        representatives=list(membership.representatives.all()),
                    )
        for person_key in list(demo.staff.get(gone_key, [])):
            affiliation = demo.affiliations[person_key]
            services.affiliation_save(by=demo.by, affiliation=affiliation, ended=date - ONE_DAY)
            demo.affiliations[person_key] = services.affiliation_save(
                by=demo.by,
                person=demo.people[person_key],
                organisation=into,
                job_title=affiliation.job_title,
                started=date,
            )
            demo.staff[into_key].append(person_key)
            demo.employer[person_key] = into_key


def _leader_changes(demo: Northshire) -> None:
    """A leader leaves; a successor starts the next day and takes over as representative."""
    for person_key, left, partnership_key, title in data.LEADER_CHANGES:
        old = demo.people[person_key]
        org_key = demo.employer[person_key]
        affiliation = demo.affiliations[person_key]
        services.affiliation_save(by=demo.by, affiliation=affiliation, ended=left)
        new = _add_person(
            demo,
            key=f"{person_key}_successor",
            org_key=org_key,
            job_title=affiliation.job_title,
            profession=old.profession,
            started=left + ONE_DAY,
        )
        _replace_representative(demo, old, new)
        services.event_record(
            by=demo.by,
            kind=EventKind.LEADER_CHANGE,
            date=left + ONE_DAY,
            title=title,
            description=f"{old.name} left; {new.name} is the new {affiliation.job_title.lower()}.",
            partnership=demo.partnerships[partnership_key] if partnership_key else None,
            organisation=demo.organisations[org_key],
        )


def _events(demo: Northshire) -> None:
    for spec in data.EVENTS:
        services.event_record(
            by=demo.by,
            kind=spec.kind,
            date=spec.date,
            title=spec.title,
            description=spec.description,
            partnership=demo.partnerships[spec.partnership] if spec.partnership else None,
            organisation=demo.organisations[spec.organisation] if spec.organisation else None,
        )


def _roles(demo: Northshire) -> None:
    for user_key, partnership_key, role, org_key, signs in data.ROLES:
        roles.role_grant(
            by=demo.users["admin"],
            user=demo.users[user_key],
            partnership=demo.partnerships[partnership_key],
            role=RoleKind(role),
            organisation=demo.organisations[org_key] if org_key else None,
            is_signatory=signs,
        )
