"""Audit events as hash chains (see joinedup.core.audit): the new columns, then the events already stored
linked into their chains in the order they were written.

An event whose target no longer exists (a deleted draft, say) cannot be traced to its partnership and joins the
register-wide chain. The other apps' first migrations come first so their models can be followed.
"""

from typing import Any

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from joinedup.core.audit import REGISTER_CHAIN, actor_label, event_hash, partnership_chain, partnership_id_of


def chain_existing(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    targets: dict[tuple[str, str], str] = {}

    def chain_for(target_type: str, target_id: str) -> str:
        key = (target_type, target_id)
        if key not in targets:
            chain = REGISTER_CHAIN
            try:
                model = apps.get_model(target_type)
                target = model._default_manager.filter(pk=target_id).first()
            except (LookupError, ValueError, TypeError):
                target = None
            if target is not None and (found := partnership_id_of(target)) is not None:
                chain = partnership_chain(found)
            targets[key] = chain
        return targets[key]

    heads: dict[str, Any] = {}
    for event in AuditEvent.objects.select_related("actor").order_by("pk").iterator(chunk_size=1000):
        event.chain = chain_for(event.target_type, event.target_id)
        event.actor_label = actor_label(event.actor)
        head = heads.setdefault(event.chain, AuditChainHead(chain=event.chain))
        event.prev_hash = head.hash
        event.hash = event_hash(event)
        event.save(update_fields=["chain", "actor_label", "prev_hash", "hash"])
        head.hash, head.count, head.last_event_id = event.hash, head.count + 1, event.pk
    AuditChainHead.objects.bulk_create(heads.values())


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_job_leases"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("register", "0002_partnershiprole"),
        ("agreements", "0001_initial"),
        ("surveys", "0001_initial"),
        ("networks", "0001_initial"),
        ("assessments", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("chain", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("hash", models.CharField(blank=True, max_length=64)),
                ("count", models.PositiveBigIntegerField(default=0)),
                ("last_event_id", models.BigIntegerField(blank=True, null=True)),
            ],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_label",
            field=models.CharField(blank=True, max_length=254, verbose_name="by"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="register", max_length=40),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="verb",
            field=models.CharField(
                choices=[
                    ("organisation.created", "Organisation added"),
                    ("organisation.updated", "Organisation changed"),
                    ("organisations.imported", "Organisations imported"),
                    ("person.created", "Person added"),
                    ("person.updated", "Person changed"),
                    ("affiliation.saved", "Affiliation saved"),
                    ("partnership.created", "Partnership created"),
                    ("partnership.updated", "Partnership changed"),
                    ("membership.added", "Member added"),
                    ("membership.updated", "Membership changed"),
                    ("membership.ended", "Membership ended"),
                    ("event.recorded", "Event recorded"),
                    ("role.granted", "Role granted"),
                    ("agreement.created", "Agreement created"),
                    ("agreement.draft_started", "Draft started"),
                    ("agreement.draft_saved", "Draft saved"),
                    ("agreement.proposed", "Draft proposed"),
                    ("agreement.proposal_withdrawn", "Proposal withdrawn"),
                    ("agreement.commented", "Comment added"),
                    ("agreement.position_recorded", "Position recorded"),
                    ("agreement.signed", "Signed"),
                    ("agreement.in_force", "Came into force"),
                    ("agreement.superseded", "Superseded"),
                    ("agreement.reviewed", "Agreement reviewed"),
                    ("wave.created", "Wave created"),
                    ("wave.opened", "Wave opened"),
                    ("wave.closed", "Wave closed"),
                    ("wave.invited", "Invitations sent"),
                    ("wave.reminded", "Reminders sent"),
                    ("wave.responses_imported", "Answers imported"),
                    ("network.file_analyse", "Network files analysed"),
                    ("admin.added", "Added in the admin"),
                    ("admin.changed", "Changed in the admin"),
                    ("admin.deleted", "Deleted in the admin"),
                ],
                max_length=80,
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["chain", "id"], name="core_audit_chain_order"),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
