from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from joinedup.accounts.models import User
from joinedup.core.admin import AuditedAdmin
from joinedup.core.choices import AuditVerb
from joinedup.core.services import audit_record


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):  # type: ignore[misc]
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's own password page saves without save_model: record the change here (not the password)."""
        with transaction.atomic():
            before = self.get_object(request, unquote(id))
            response: Any = super().user_change_password(request, id, form_url)
            user = self.get_object(request, unquote(id))
            if before is not None and user is not None and user.password != before.password:
                data = {"fields": {"password": ["(not recorded)", "(not recorded)"]}}
                audit_record(by=request.user, verb=AuditVerb.ADMIN_CHANGED, target=user, data=data)
        return response  # type: ignore[no-any-return]
