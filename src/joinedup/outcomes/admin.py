"""The admin for indicators (read-mostly; every change made here writes an audit event, core.admin.AuditedAdmin).
Measurements are corrected through the pages, which keep each revision; the admin shows them."""

from django.contrib import admin

from joinedup.core.admin import AuditedAdmin
from joinedup.outcomes.models import Indicator, IndicatorVersion, Measurement, Rebase, TrajectoryPoint


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("title", "partnership", "owner", "frequency")
    list_filter = ("frequency", "kind")
    search_fields = ("title",)


@admin.register(IndicatorVersion)
class IndicatorVersionAdmin(AuditedAdmin):
    list_display = ("indicator", "number", "unit", "direction", "starts")


@admin.register(Measurement)
class MeasurementAdmin(AuditedAdmin):
    list_display = ("indicator", "period", "revision", "value", "is_current")
    list_filter = ("is_current",)


@admin.register(TrajectoryPoint)
class TrajectoryPointAdmin(AuditedAdmin):
    list_display = ("indicator", "period", "target")


@admin.register(Rebase)
class RebaseAdmin(AuditedAdmin):
    list_display = ("indicator", "period", "reason")
