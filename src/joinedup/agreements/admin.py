"""The admin for agreements: versions that have been proposed are read-only here, with their clauses and
contributions (the database refuses any change to them anyway; see agreements.integrity). Every change made
here writes an audit event (core.admin.AuditedAdmin)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.models import (
    Agreement,
    AgreementReview,
    AgreementVersion,
    Clause,
    Comment,
    Contribution,
    Position,
    Signature,
)
from joinedup.core.admin import AuditedAdmin


def _frozen(version: Any) -> bool:
    return version is not None and version.pk is not None and version.status != VersionStatus.DRAFT


class _VersionPartInline(admin.TabularInline):  # type: ignore[type-arg]
    """Rows of a version's content: editable only while the version is a draft."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class ClauseInline(_VersionPartInline):
    model = Clause


class ContributionInline(_VersionPartInline):
    model = Contribution


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    list_display = ["title", "partnership", "kind", "ended"]
    list_filter = ["kind"]
    search_fields = ["title", "partnership__name"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(AuditedAdmin):
    """Read-mostly: versions change only through the services, and once proposed never (view only here)."""

    list_display = ["agreement", "number", "status", "in_force_at", "content_hash"]
    list_filter = ["status"]
    inlines = [ClauseInline, ContributionInline]
    readonly_fields = [
        "status",
        "content_hash",
        "lock_version",
        "proposed_at",
        "proposed_by",
        "in_force_at",
        "superseded_at",
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _frozen(obj) and super().has_delete_permission(request, obj)


admin.site.register([Comment, Position, Signature, AgreementReview], AuditedAdmin)
