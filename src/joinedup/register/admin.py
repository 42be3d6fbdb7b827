from django.contrib import admin

from joinedup.core.admin import AuditedAdmin
from joinedup.register.models import (
    Affiliation,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Person,
    TimelineEvent,
)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "sector", "ods_code", "charity_number", "area"]
    list_filter = ["sector"]
    search_fields = ["name", "ods_code", "charity_number", "org_id"]


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "kind", "status", "parent", "started"]
    list_filter = ["kind", "status"]


admin.site.register([Person, Affiliation, Membership, TimelineEvent], AuditedAdmin)


@admin.register(PartnershipRole)
class PartnershipRoleAdmin(AuditedAdmin):
    list_display = ["user", "partnership", "role", "organisation", "is_signatory"]
    list_filter = ["role", "is_signatory"]
