"""Signing a version by its hash; the last signature brings it into force and supersedes the old one."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.content import content_hash as hash_of
from joinedup.agreements.content import content_of
from joinedup.agreements.models import AgreementVersion, Signature
from joinedup.agreements.selectors import signing_party_ids
from joinedup.core.choices import AuditVerb
from joinedup.core.permissions import Permission, has_permission
from joinedup.core.services import audit_record
from joinedup.register.models import Organisation

S = VersionStatus
STALE_HASH_MESSAGE = (
    "This version has changed since you opened it, so it was not signed. Reopen the latest version, "
    "read it again and sign that."
)


def version_sign(
    *, by: User, version: AgreementVersion, organisation: Organisation, content_hash: str
) -> Signature:
    """Sign `version` for `organisation` by its hash.

    `by` must be the organisation's signatory in the partnership (has_permission AGREEMENT_SIGN for
    it), the organisation a current member (see selectors.signing_party_ids), and
    `content_hash` the hash the signer was shown. The version row is locked (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so signatures arriving together all
    count and the version comes into force exactly once. A member that joined after a version came into
    force may sign the version in force.
    """
    with transaction.atomic():
        locked = (
            AgreementVersion.objects.select_for_update()
            .select_related("agreement__partnership")
            .get(pk=version.pk)
        )
        partnership = locked.agreement.partnership
        if not has_permission(by, Permission.AGREEMENT_SIGN, partnership, organisation):
            raise PermissionDenied(
                f"You are not an authorised signatory for {organisation} in this partnership."
            )
        if locked.status not in (S.PROPOSED, S.IN_FORCE):
            raise ValidationError(
                f"Version {locked.number} is {locked.get_status_display().lower()}; it cannot be signed."
            )
        parties = signing_party_ids(partnership=partnership)
        if organisation.pk not in parties:
            raise ValidationError(f"{organisation} is not a current member of the partnership.")
        if content_hash != locked.content_hash:
            raise ValidationError(STALE_HASH_MESSAGE, code="stale_hash")
        if hash_of(content_of(locked)) != locked.content_hash:
            raise ValidationError(
                "The stored text of this version no longer matches its hash; it cannot be signed. "
                "Tell the partnership coordinator.",
                code="hash_mismatch",
            )
        if Signature.objects.filter(version=locked, organisation=organisation).exists():
            raise ValidationError(f"{organisation} has already signed version {locked.number}.")
        now = timezone.now()
        signature = Signature.objects.create(
            version=locked, organisation=organisation, user=by, signed_at=now, content_hash=content_hash
        )
        audit_record(
            by=by,
            verb=AuditVerb.AGREEMENT_SIGNED,
            target=locked,
            data={"organisation": organisation.pk, "content_hash": content_hash},
        )
        signed = set(Signature.objects.filter(version=locked).values_list("organisation_id", flat=True))
        if locked.status == S.PROPOSED and parties <= signed:
            _bring_into_force(by=by, version=locked, now=now)
    version.refresh_from_db()
    return signature


def _bring_into_force(*, by: User, version: AgreementVersion, now: datetime.datetime) -> None:
    previous = AgreementVersion.objects.select_for_update().filter(
        agreement=version.agreement_id, status=S.IN_FORCE
    )
    for old in previous:
        old.status, old.superseded_at = S.SUPERSEDED, now
        old.save(update_fields=["status", "superseded_at", "updated_at"])
        audit_record(
            by=by, verb=AuditVerb.AGREEMENT_SUPERSEDED, target=old, data={"by_version": version.number}
        )
    version.status, version.in_force_at = S.IN_FORCE, now
    version.save(update_fields=["status", "in_force_at", "updated_at"])
    audit_record(
        by=by, verb=AuditVerb.AGREEMENT_IN_FORCE, target=version, data={"content_hash": version.content_hash}
    )
