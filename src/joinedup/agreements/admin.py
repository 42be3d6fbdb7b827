from django.contrib import admin

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


class ClauseInline(admin.TabularInline):
    model = Clause
    extra = 0


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "kind", "ended"]
    list_filter = ["kind"]
    search_fields = ["title", "partnership__name"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    """Read-mostly: versions change only through the services (proposed ones never)."""

    list_display = ["agreement", "number", "status", "in_force_at", "content_hash"]
    list_filter = ["status"]
    inlines = [ClauseInline, ContributionInline]
    readonly_fields = [
        "content_hash",
        "lock_version",
        "proposed_at",
        "proposed_by",
        "in_force_at",
        "superseded_at",
    ]


admin.site.register([Comment, Position, Signature, AgreementReview])
