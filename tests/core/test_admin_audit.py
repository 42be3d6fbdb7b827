"""The admin: audit rows can only be read there, and every change made there writes an audit event in the same
transaction (core.admin.AuditedAdmin, used by every app's admin)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from joinedup.core.admin import AuditedAdmin, AuditEventAdmin
from joinedup.core.audit import chains_verify
from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent
from joinedup.core.services import audit_record
from joinedup.register.models import Organisation
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Any) -> Any:
    client.force_login(UserFactory(is_superuser=True, is_staff=True, email="site.admin@example.org"))
    return client


def test_every_joinedup_admin_writes_audit_events() -> None:
    ours = {m: a for m, a in admin.site._registry.items() if m.__module__.startswith("joinedup.")}
    assert len(ours) > 10
    for model, model_admin in ours.items():
        if isinstance(model_admin, AuditEventAdmin):
            continue
        assert isinstance(model_admin, AuditedAdmin), f"{model.__name__}'s admin does not write audit events"


def test_audit_rows_cannot_be_added_changed_or_deleted_in_the_admin(admin_client: Any) -> None:
    event = audit_record(by=None, verb=AuditVerb.PARTNERSHIP_UPDATED, target=PartnershipFactory())
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and 'name="target_label"' not in page.content.decode()  # to read only
    assert admin_client.post(change, {"target_label": "Forged", "verb": event.verb}).status_code == 403
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:core_auditevent_add"), {"verb": "partnership.created"}).status_code
        == 403
    )
    assert (
        admin_client.post(
            reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    bulk = admin_client.post(
        reverse("admin:core_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert list(AuditEvent.objects.values_list("pk", "target_label")) == [(event.pk, event.target_label)]
    assert all(r.intact for r in chains_verify())


def test_an_admin_edit_writes_an_audit_event_with_what_changed(admin_client: Any) -> None:
    organisation = OrganisationFactory(name="Northshire Homes")
    url = reverse("admin:register_organisation_change", args=[organisation.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields
    }
    data["name"] = "Northshire Homes Ltd"
    answer = admin_client.post(url, data)
    assert answer.status_code == 302, answer.content[:2000]
    organisation.refresh_from_db()
    assert organisation.name == "Northshire Homes Ltd"
    event = AuditEvent.objects.get(verb="admin.changed")
    assert event.target_type == "register.organisation" and event.target_id == str(organisation.pk)
    assert event.actor_label == "site.admin@example.org" and event.chain == "register"
    assert event.data["fields"]["name"] == ["Northshire Homes", "Northshire Homes Ltd"]
    assert all(r.intact for r in chains_verify())


def test_an_admin_add_and_delete_are_recorded_and_keep_the_deleted_values(admin_client: Any) -> None:
    partnership = PartnershipFactory()
    organisation = OrganisationFactory(name="Leaving Ltd")
    delete = reverse("admin:register_organisation_delete", args=[organisation.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    gone = AuditEvent.objects.get(verb="admin.deleted")
    assert gone.target_label == "Leaving Ltd" and gone.data["name"] == "Leaving Ltd"
    add = reverse("admin:register_timelineevent_add")
    form = admin_client.get(add).context["adminform"].form
    assert "partnership" in form.fields
    bulk = admin_client.post(
        reverse("admin:register_partnership_changelist"),
        {"action": "delete_selected", "_selected_action": [partnership.pk], "post": "yes"},
    )
    assert bulk.status_code == 302
    deleted = AuditEvent.objects.filter(verb="admin.deleted", target_type="register.partnership").get()
    assert deleted.chain == f"partnership:{partnership.pk}"


def test_a_failed_admin_delete_leaves_no_event(admin_client: Any) -> None:
    """The event is written in the same transaction as the change: when the change fails, neither stays."""
    from tests.agreements.helpers import make_place, proposed_version, sign_all

    place = make_place(1)
    version = proposed_version(place)
    sign_all(place, version)
    before = AuditEvent.objects.count()
    bulk = admin_client.post(
        reverse("admin:register_partnership_changelist"),
        {"action": "delete_selected", "_selected_action": [place.partnership.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.count() == before
    assert not AuditEvent.objects.filter(verb="admin.deleted").exists()


def test_a_password_set_in_the_admin_is_recorded_without_the_password(admin_client: Any) -> None:
    user = UserFactory(email="someone@example.org")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    answer = admin_client.post(
        url,
        {
            "usable_password": "true",
            "password1": "A-long-new-passphrase-42",
            "password2": "A-long-new-passphrase-42",
        },
    )
    assert answer.status_code == 302
    event = AuditEvent.objects.get(verb="admin.changed", target_id=str(user.pk))
    assert "passphrase" not in str(event.data) and event.data["fields"]["password"][1] == "(not recorded)"
