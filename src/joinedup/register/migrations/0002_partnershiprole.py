"""PartnershipRole, moved here from accounts (its 0003): the existing table is taken over, then renamed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0001_initial"),
        ("accounts", "0003_partnershiprole_to_register"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PartnershipRole",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("coordinator", "Partnership coordinator"),
                                    ("representative", "Partner representative"),
                                    ("member", "Member"),
                                    ("evaluator", "Evaluator"),
                                    ("observer", "Observer"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "is_signatory",
                            models.BooleanField(
                                default=False, help_text="May sign agreements for the organisation."
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="register.organisation",
                            ),
                        ),
                        (
                            "partnership",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="roles",
                                to="register.partnership",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partnership_roles",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_partnershiprole",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "partnership", "role"), name="role_unique_per_partnership"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("organisation__isnull", False), ("role", "representative")),
                                    models.Q(
                                        models.Q(("role", "representative"), _negated=True),
                                        ("organisation__isnull", True),
                                    ),
                                    _connector="OR",
                                ),
                                name="role_representative_has_organisation",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("is_signatory", False), ("role", "representative"), _connector="OR"
                                ),
                                name="role_only_representatives_sign",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="partnershiprole", table=None),
    ]
