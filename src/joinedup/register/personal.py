"""A person's data rights (issue 15 item 4): `person_export` gathers everything JoinedUp holds about the person
with an e-mail address, and `person_erase` removes or pseudonymises it. Every app's part comes from
`core.personal_data` (registered in each app's hooks.py); this module finds the person, runs the parts in one
transaction, redacts the audit record and writes the audit event. `joinedup person export|erase EMAIL` calls it.

The register's own part is here too: the person's rows (name, e-mail address, job, affiliations, whom they
represent), their account (roles, tokens, two-step devices, e-mail changes, sign-in records) and what the
shell keeps about them (their background jobs, the audit events they wrote).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent, Job
from joinedup.core.personal_data import REDACTED_KEY, addresses_of, events_redact, personal_data
from joinedup.core.services import audit_record
from joinedup.register.models import AccessToken, Person, RoleInvitation
from joinedup.register.roles import roles_erase, roles_of_user

FORMAT = "joinedup-person"
VERSION = 1


class NobodyFound(LookupError):
    """No account and no person in the register has that e-mail address."""


@dataclass
class Found:
    email: str
    user: Any
    people: list[Person] = field(default_factory=list)


def person_find(email: str) -> Found:
    email = email.strip()
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    who = Q(email__iexact=email) | (Q(user=user) if user is not None else Q(pk__in=[]))
    people = list(Person.objects.filter(who).order_by("pk")) if email else []
    if user is None and not people:
        raise NobodyFound(f"No account and no person in the register has the e-mail address {email!r}.")
    return Found(email=email, user=user, people=people)


def person_export(*, by: Any, email: str) -> dict[str, Any]:
    """Everything held about the person, as one JSON document (audited: who asked, when)."""
    found = person_find(email)
    with transaction.atomic(durable=True):
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now().isoformat(timespec="seconds"),
            "email": found.email,
        }
        for part in personal_data:
            document[part.key] = part.export(people=found.people, user=found.user)
        target = found.people[0] if found.people else found.user
        audit_record(by=by, verb=AuditVerb.PERSON_EXPORTED, target=target, data={})
    return document


def person_erase(*, by: Any, email: str, nested: bool = False) -> dict[str, Any]:
    """Erase the person: every part pseudonymises or removes what it holds, the audit record has their names
    and addresses replaced by the pseudonym, and one audit event records the erasure (with no personal data:
    counts, and the hashes the record's check needs). All or nothing. `nested` lets a dry run call it inside
    a transaction it then rolls back."""
    found = person_find(email)
    pseudonym = f"Erased person {secrets.token_hex(4)}"
    needles = [found.email] + [n for p in found.people for n in (p.name, p.email)]
    if found.user is not None:
        needles += [found.user.email, found.user.username, getattr(found.user, "full_name", "")]
    with transaction.atomic(durable=not nested):
        changed: dict[str, Any] = {}
        for part in personal_data:
            changed[part.key] = part.erase(people=found.people, user=found.user, pseudonym=pseudonym)
        redacted = events_redact(
            needles=needles, actor_id=found.user.pk if found.user is not None else None, pseudonym=pseudonym
        )
        target = found.people[0] if found.people else found.user
        target.refresh_from_db()
        audit_record(
            by=by,
            verb=AuditVerb.PERSON_ERASED,
            target=target,
            data={"changed": changed, REDACTED_KEY: redacted},
        )
    return {"pseudonym": pseudonym, "changed": changed, "audit_events_redacted": len(redacted)}


# ---- the register's own part ----------------------------------------------------------------------------


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(*, people: list[Person], user: Any) -> dict[str, Any]:
    people_out = [
        {
            "name": p.name,
            "email": p.email,
            "profession": p.profession_label,
            "job_title": p.job_title,
            "affiliations": [
                {
                    "organisation": a.organisation.name,
                    "job_title": a.job_title,
                    "started": _day(a.started),
                    "ended": _day(a.ended),
                }
                for a in p.affiliations.select_related("organisation").order_by("pk")
            ],
            "represents": [
                {"partnership": m.partnership.name, "organisation": m.organisation.name}
                for m in p.representing.select_related("partnership", "organisation").order_by("pk")
            ],
        }
        for p in people
    ]
    return {"people": people_out, "account": _account(user) if user is not None else None}


def _account(user: Any) -> dict[str, Any]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    roles = roles_of_user(user=user)
    return {
        "email": user.email,
        "name": getattr(user, "full_name", "") or user.get_full_name(),
        "joined": _day(user.date_joined),
        "last_signed_in": _day(user.last_login),
        "active": user.is_active,
        "roles": [
            {
                "partnership": r.partnership.name,
                "role": r.get_role_display(),
                "organisation": r.organisation.name if r.organisation else None,
                "signatory": r.is_signatory,
            }
            for r in roles
        ],
        "api_tokens": [
            {
                "name": t.name,
                "made": _day(t.created_at),
                "expires": _day(t.expires_at),
                "revoked": _day(t.revoked_at),
                "last_used": _day(t.last_used_at),
                "can_write": t.can_write,
            }
            for t in AccessToken.objects.filter(user=user).order_by("pk")
        ],
        "two_step_devices": TOTPDevice.objects.filter(user=user, confirmed=True).count(),
        "invitations_to_roles": [
            {
                "partnership": i.partnership.name,
                "role": i.get_role_display(),
                "sent": _day(i.sent_at),
                "accepted": _day(i.accepted_at),
            }
            for i in RoleInvitation.objects.filter(email__iexact=user.email).select_related("partnership")
        ],
        "background_jobs": [
            {"title": j.title, "status": j.get_status_display(), "asked_for": _day(j.created_at)}
            for j in Job.objects.filter(created_by=user).order_by("created_at")
        ],
        "audit_events_written": [
            {"what": e.get_verb_display(), "about": e.target_label, "when": _day(e.created_at)}
            for e in AuditEvent.objects.filter(actor=user).order_by("pk")
        ],
    }


def erase(*, people: list[Person], user: Any, pseudonym: str) -> dict[str, int]:
    counts = {"people": 0, "role_invitations": 0, "api_tokens": 0, "sign_in_records": 0}
    for person in people:
        Person.objects.filter(pk=person.pk).update(
            name=pseudonym, email="", job_title="", profession_other="", user=None
        )
        person.affiliations.update(job_title="")
        counts["people"] += 1
    for email in addresses_of(people, user):
        counts["role_invitations"] += RoleInvitation.objects.filter(email__iexact=email).update(
            email=f"erased-{secrets.token_hex(6)}@erased.invalid", name=pseudonym
        )
    if user is not None:
        counts.update(roles_erase(user=user))
        counts["api_tokens"] = AccessToken.objects.filter(user=user).delete()[0]
        counts["sign_in_records"] = _forget_account(user, pseudonym)
    return counts


def _forget_account(user: Any, pseudonym: str) -> int:
    """The account stays (signatures and comments point at it) but names nobody and can never sign in."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from joinedup.accounts.models import EmailChange

    old = user.email
    address = f"erased-{secrets.token_hex(6)}@erased.invalid"
    user.email = user.username = address
    user.first_name = user.last_name = ""
    if hasattr(user, "full_name"):
        user.full_name = pseudonym
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()  # also ends every session: the session's password hash no longer matches
    user.save()
    TOTPDevice.objects.filter(user=user).delete()
    EmailChange.objects.filter(user=user).delete()
    forgotten = 0
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        forgotten += model.objects.filter(username__iexact=old).delete()[0]
    return forgotten
