from django.contrib import admin

from joinedup.core.admin import AuditedAdmin
from joinedup.voice.models import FeedbackForm, Theme, YouSaidWeDid


@admin.register(FeedbackForm)
class FeedbackFormAdmin(AuditedAdmin):
    list_display = ("partnership", "service", "code", "min_group_size", "is_open")
    readonly_fields = ("code", "instrument_key", "instrument_version", "created_on")


@admin.register(Theme)
class ThemeAdmin(AuditedAdmin):
    list_display = ("partnership", "name")


@admin.register(YouSaidWeDid)
class YouSaidWeDidAdmin(AuditedAdmin):
    list_display = ("partnership", "theme", "recorded_on", "record_kind", "record_id")
