"""Anonymous means unlinkable: a sent response records the day it was sent (`submitted_on`); in anonymous waves
the link to the invitation, the resume link and every time are cut, and the invitation only records that it was
answered. Existing sent responses are brought into line here."""

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone

BATCH = 500


def unlink_sent_responses(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    Invitation = apps.get_model("surveys", "Invitation")
    sent = Response.objects.filter(submitted_at__isnull=False).select_related("wave").order_by("pk")
    for response in sent.iterator(chunk_size=BATCH):
        response.submitted_on = timezone.localdate(response.submitted_at)
        fields = ["submitted_on"]
        if response.invitation_id is not None:
            Invitation.objects.filter(pk=response.invitation_id).update(answered=True)
        if response.wave.anonymity == "anonymous":
            response.invitation_id = None
            response.resume_hash = None
            response.respondent_name = ""
            response.started_at = response.updated_at = response.submitted_at = None
            fields += [
                "invitation",
                "resume_hash",
                "respondent_name",
                "started_at",
                "updated_at",
                "submitted_at",
            ]
        response.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0002_partnershiprole"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="response",
            options={"ordering": ["id"]},
        ),
        migrations.RemoveIndex(
            model_name="response",
            name="surveys_res_wave_id_c35533_idx",
        ),
        migrations.AddField(
            model_name="invitation",
            name="answered",
            field=models.BooleanField(
                default=False,
                help_text="Answers have been sent with this invitation. In anonymous waves this is all that is kept: no link to the response and no time.",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="submitted_on",
            field=models.DateField(blank=True, help_text="The day the answers were sent.", null=True),
        ),
        migrations.AlterField(
            model_name="response",
            name="resume_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="response",
            name="started_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
        migrations.AlterField(
            model_name="response",
            name="submitted_at",
            field=models.DateTimeField(blank=True, help_text="Not kept in anonymous waves.", null=True),
        ),
        migrations.AlterField(
            model_name="response",
            name="updated_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
        migrations.RunPython(unlink_sent_responses, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(fields=["wave", "submitted_on"], name="response_wave_submitted"),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("submitted_at__isnull", True), ("submitted_on__isnull", False), _connector="OR"
                ),
                name="response_submitted_at_has_day",
            ),
        ),
    ]
