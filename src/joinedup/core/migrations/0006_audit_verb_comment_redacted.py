"""The audit verb for a comment redacted before its release."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_hash_chain")]

    operations = [
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
                    ("assessment.comment_redacted", "Comment redacted"),
                    ("network.file_analyse", "Network files analysed"),
                    ("admin.added", "Added in the admin"),
                    ("admin.changed", "Changed in the admin"),
                    ("admin.deleted", "Deleted in the admin"),
                ],
                max_length=80,
            ),
        ),
    ]
