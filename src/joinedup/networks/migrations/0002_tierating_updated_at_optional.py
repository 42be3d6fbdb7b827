"""A rating's time is emptied when an anonymous wave's answers are sent (and here for those already sent)."""

from django.db import migrations, models


def drop_times_of_anonymous_answers(apps, schema_editor):
    TieRating = apps.get_model("networks", "TieRating")
    TieRating.objects.filter(
        response__wave__anonymity="anonymous", response__submitted_on__isnull=False
    ).update(updated_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        ("surveys", "0002_anonymous_unlinkable"),
    ]

    operations = [
        migrations.AlterField(
            model_name="tierating",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, help_text="Emptied when an anonymous wave's answers are sent.", null=True
            ),
        ),
        migrations.RunPython(drop_times_of_anonymous_answers, migrations.RunPython.noop, elidable=True),
    ]
