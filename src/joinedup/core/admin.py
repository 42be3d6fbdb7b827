from django.contrib import admin

from joinedup.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "target_type", "target_label"]
    list_filter = ["verb", "target_type"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
