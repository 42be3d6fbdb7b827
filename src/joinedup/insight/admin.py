from django.contrib import admin

from joinedup.core.admin import AuditedAdmin
from joinedup.insight.models import FlagSet, FlagThresholds


@admin.register(FlagSet)
class FlagSetAdmin(AuditedAdmin):
    list_display = ("partnership", "computed_at", "settings_version")
    readonly_fields = (
        "partnership",
        "computed_at",
        "settings_version",
        "flags",
        "snapshot",
        "health",
        "ladder",
    )


@admin.register(FlagThresholds)
class FlagThresholdsAdmin(AuditedAdmin):
    list_display = ("partnership", "updated_at", "updated_by")
    readonly_fields = ("partnership", "values", "updated_at", "updated_by")
