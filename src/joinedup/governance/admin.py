"""The admin for the governance record (read-mostly; every change made here writes an audit event)."""

from django.contrib import admin

from joinedup.core.admin import AuditedAdmin
from joinedup.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    Dispute,
    Meeting,
    Paper,
    QuorumRule,
    Vote,
)


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["title", "partnership", "kind", "state", "start"]
    list_filter = ["kind", "state"]
    search_fields = ["title"]


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin):
    list_display = ["title", "meeting", "method", "quorate"]
    list_filter = ["method", "quorate"]
    search_fields = ["title"]


@admin.register(Action)
class ActionAdmin(AuditedAdmin):
    list_display = ["title", "partnership", "owner_organisation", "due", "status"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Dispute)
class DisputeAdmin(AuditedAdmin):
    list_display = ["topic", "partnership", "status", "raised_on", "closed_on"]
    list_filter = ["status"]


for model in (QuorumRule, AgendaItem, Paper, Attendance, Vote, Declaration):
    admin.site.register(model, AuditedAdmin)
