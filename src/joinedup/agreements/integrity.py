"""Signed means unchangeable: what keeps a proposed or signed version's content as it was signed.

Three layers, each catching what gets past the one before:

1. The models refuse it (`frozen_guard`, called from `save()`/`delete()` of versions, clauses and
   contributions): a plain message instead of a database error for code that loads rows and saves them.
2. The database refuses it: triggers on PostgreSQL and SQLite (migration `0002_signed_versions_unchangeable`)
   abort any INSERT, UPDATE or DELETE of a clause or contribution of a version that is no longer a draft, any
   change to such a version's structured fields, hash, agreement or number, any return to draft, and any
   DELETE of it. Status changes (proposed -> in force -> superseded, proposed -> withdrawn) still work.
   QuerySet.update(), raw SQL and the admin all meet the triggers.
3. Pages notice it: `content_intact` recomputes a version's hash from what is stored now, and every page that
   shows a version warns when it no longer matches what was signed (someone with the database's owner rights
   can drop the triggers).

Deleting: a version that has been proposed cannot be deleted, so neither can its agreement or partnership (the
cascade meets the triggers): the record of what was signed stays; end an agreement with a review instead. The
one way round is `purge_allowed()`, for removing a whole database's rows (the test suite's flush between
tests on SQLite; PostgreSQL's TRUNCATE does not fire row triggers). It sets a flag the SQLite triggers read
through the function `joinedup_purge_allowed()` that JoinedUp registers on its own connections (elsewhere,
the sqlite3 shell say, the function does not exist and the triggers refuse), and on PostgreSQL the
`joinedup.purge_allowed` setting for the current transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver

FROZEN_MESSAGE = (
    "This version has been proposed for signing, so its clauses, contributions and details can no longer "
    "be changed. Start a new draft to change them."
)
# The structured fields of a version, in the order pages show them (content.py hashes them).
FIELD_NAMES = (
    "term",
    "end_date",
    "review_interval_months",
    "decision_rule",
    "chairing",
    "chair_organisation_id",
    "host_organisation_id",
    "risk_share",
)
# A version's columns that its content hash covers, or that place it (which agreement, which number).
FROZEN_VERSION_COLUMNS = ("agreement_id", "number", *FIELD_NAMES, "content_hash")

_purge = {"allowed": False}


class FrozenVersionError(ValidationError):
    """A change to a proposed or signed version's content."""

    def __init__(self) -> None:
        super().__init__(FROZEN_MESSAGE, code="immutable")


@contextmanager
def purge_allowed() -> Iterator[None]:
    """Let rows of proposed and signed versions be deleted inside this block (whole-database removal only)."""
    _purge["allowed"] = True
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('joinedup.purge_allowed', 'on', true)")
            yield
    finally:
        _purge["allowed"] = False


def protect_signed(collector: Any, field: Any, sub_objs: Any, using: str) -> None:
    """`on_delete` of a version's agreement: deleting an agreement deletes its drafts, but is refused (as
    PROTECT refuses, so the admin lists what blocks it) while it has a version that was ever proposed."""
    frozen = [v for v in sub_objs if v.status != "draft"]
    if frozen and not _purge["allowed"]:
        raise models.ProtectedError(
            "An agreement with a proposed or signed version cannot be deleted: what was signed stays on the "
            "record. End the agreement with a review instead.",
            set(frozen),
        )
    models.CASCADE(collector, field, sub_objs, using)


def purge_allowed_flag(value: bool) -> None:
    """Set the SQLite flag directly (the test suite's flush between tests runs outside any block of ours)."""
    _purge["allowed"] = value


@receiver(connection_created)
def _register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "joinedup_purge_allowed", 0, lambda: 1 if _purge["allowed"] else 0, deterministic=False
        )


def frozen_guard(*, version_id: int | None) -> None:
    """Raise FrozenVersionError if the stored version `version_id` is no longer a draft."""
    from joinedup.agreements.choices import VersionStatus
    from joinedup.agreements.models import AgreementVersion

    if version_id is None or _purge["allowed"]:
        return
    status = AgreementVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
    if status is not None and status != VersionStatus.DRAFT:
        raise FrozenVersionError()


def frozen_version_guard(version: Any, update_fields: Any) -> None:
    """Raise FrozenVersionError if saving `version` would change a frozen column of a proposed version."""
    from joinedup.agreements.choices import VersionStatus as S
    from joinedup.agreements.models import AgreementVersion

    if version.pk is None:
        return
    touches_frozen = update_fields is None or {f.removesuffix("_id") for f in update_fields} & _frozen_names()
    back_to_draft = update_fields is not None and "status" in update_fields and version.status == S.DRAFT
    if not touches_frozen and not back_to_draft:
        return
    stored = AgreementVersion.objects.filter(pk=version.pk).values("status", *FROZEN_VERSION_COLUMNS).first()
    if stored is None or stored["status"] == S.DRAFT:
        return
    changed = [c for c in FROZEN_VERSION_COLUMNS if stored[c] != getattr(version, c)]
    if changed or version.status == S.DRAFT:
        raise FrozenVersionError()


def _frozen_names() -> set[str]:
    return {c.removesuffix("_id") for c in FROZEN_VERSION_COLUMNS}
