"""The Django admin: the audit record read-only, and every other model's admin writing an audit event.

`AuditedAdmin` is the ModelAdmin every app's admin.py uses (tests/core/test_admin_audit.py fails on one that
does not): adding, changing or deleting a row in `/admin/` writes an `admin.added` / `admin.changed` /
`admin.deleted` audit event, with what changed, in the same transaction as the change (Django's admin runs its
add, change and delete views in one transaction; the bulk "delete selected" action is wrapped here). The audit
record itself can be read in the admin and never added to, changed or deleted there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import BaseFormSet, BaseModelForm
from django.http import HttpRequest

from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent
from joinedup.core.services import audit_record

_CHANGES = "_joinedup_admin_changes"
_SECRET = ("password", "token", "secret")


def _plain(name: str, value: Any) -> Any:
    if any(word in name for word in _SECRET):
        return "(not recorded)"
    if isinstance(value, models.Model):
        return f"{value} (#{value.pk})"
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [_plain(name, v) for v in value]
    return "" if value is None else str(value)


def form_changes(form: BaseModelForm[Any], change: bool) -> dict[str, list[Any]]:
    """{field: [before, after]} for every field the admin form changed ("" before when adding)."""
    return {
        name: [
            _plain(name, form.initial.get(name)) if change else "",
            _plain(name, form.cleaned_data.get(name)),
        ]
        for name in form.changed_data
    }


def formset_changes(formsets: list[BaseFormSet[Any]]) -> dict[str, list[str]]:
    """The inline rows the admin added, changed and deleted (after the formsets were saved)."""
    found: dict[str, list[str]] = {}
    for formset in formsets:
        for obj in getattr(formset, "new_objects", []):
            found.setdefault("added", []).append(f"{obj._meta.verbose_name}: {obj}")
        for obj, fields in getattr(formset, "changed_objects", []):
            found.setdefault("changed", []).append(f"{obj._meta.verbose_name}: {obj} ({', '.join(fields)})")
        for obj in getattr(formset, "deleted_objects", []):
            found.setdefault("deleted", []).append(f"{obj._meta.verbose_name}: {obj}")
    return found


def row_fields(obj: models.Model) -> dict[str, Any]:
    """A deleted row's stored values, so the audit event keeps what was removed."""
    return {f.attname: _plain(f.name, getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose adds, changes and deletes write an audit event in the same transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        setattr(request, _CHANGES, form_changes(form, change))
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        data: dict[str, Any] = {"fields": getattr(request, _CHANGES, {})}
        if inlines := formset_changes(formsets):
            data["inlines"] = inlines
        if change and not data["fields"] and not inlines:
            return  # saved with nothing changed: nothing to record
        verb = AuditVerb.ADMIN_CHANGED if change else AuditVerb.ADMIN_ADDED
        audit_record(by=request.user, verb=verb, target=form.instance, data=data)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(by=request.user, verb=AuditVerb.ADMIN_DELETED, target=obj, data=row_fields(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_record(by=request.user, verb=AuditVerb.ADMIN_DELETED, target=obj, data=row_fields(obj))
            super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit record, to read: nobody adds, changes or deletes an event here (`joinedup audit verify`
    would notice anyway)."""

    list_display = ["created_at", "actor_label", "verb", "target_type", "target_label", "chain"]
    list_filter = ["verb", "target_type"]
    search_fields = ["target_label", "actor_label", "chain"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
