"""Feedback from people who use services and their carers.

A `FeedbackForm` is reached by its short link (/f/<code>/) or QR code, without an account. A `FeedbackResponse`
keeps the answers and the day they were sent, nothing else: no address, user, session or time (ADR 7). Its free
text is a `FeedbackComment`, seen only by moderators until one publishes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from joinedup.voice.choices import MIN_FEEDBACK_GROUP, CommentStatus, ScreeningFlag


class FeedbackForm(models.Model):
    partnership = models.ForeignKey(
        "register.Partnership", on_delete=models.CASCADE, related_name="feedback_forms"
    )
    service = models.CharField(
        "name of the service",
        max_length=200,
        blank=True,
        help_text="Leave empty for a form about the partnership's services as a whole.",
    )
    code = models.CharField(max_length=12, unique=True)  # the short link: /f/<code>/
    instrument_key = models.CharField(max_length=80)
    instrument_version = models.PositiveSmallIntegerField()
    min_group_size = models.PositiveSmallIntegerField(
        "smallest group shown",
        default=MIN_FEEDBACK_GROUP,
        help_text=f"A month with fewer answers is never shown (at least {MIN_FEEDBACK_GROUP}).",
    )
    safeguarding_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_open = models.BooleanField(default=True)
    created_on = models.DateField()

    class Meta:
        ordering = ["partnership_id", "service", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_group_size__gte=MIN_FEEDBACK_GROUP), name="voice_form_min_group_at_least_10"
            ),
            models.UniqueConstraint(fields=["partnership", "service"], name="voice_one_form_per_service"),
        ]

    def __str__(self) -> str:
        return f"Feedback about {self.service_label}"

    @property
    def service_label(self) -> str:
        return self.service or "the service"


class FeedbackResponse(models.Model):
    """One person's answers: no address, user, session or time is kept (ADR 7), only the day."""

    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField()
    overall = models.CharField(max_length=20, blank=True)  # a key of the instrument's overall choices
    statements = models.JSONField(default=dict, blank=True)  # statement key -> scale key

    class Meta:
        indexes = [models.Index(fields=["form", "submitted_on"])]

    def __str__(self) -> str:
        return f"Feedback {self.pk}"


class Theme(models.Model):
    partnership = models.ForeignKey("register.Partnership", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="voice_theme_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class FeedbackComment(models.Model):
    """The free text of a response. `original` is what was sent and only moderators ever see it; `text` is what
    screening left (names, e-mail addresses, phone numbers and links taken out) and moderators may edit; the
    public sees `text` once it is published."""

    response = models.OneToOneField(FeedbackResponse, on_delete=models.CASCADE, related_name="comment")
    original = models.TextField()
    text = models.TextField()
    flags = models.JSONField(default=list, blank=True)  # ScreeningFlag values screening found
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.WAITING)
    edited = models.BooleanField(default=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_on = models.DateField(null=True, blank=True)
    safeguarding = models.BooleanField(default=False)
    safeguarding_note = models.TextField(blank=True)
    safeguarding_seen = models.BooleanField(default=False)  # the lead has dealt with it
    themes = models.ManyToManyField(Theme, blank=True, related_name="comments")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CommentStatus.WAITING) | Q(moderated_on__isnull=False),
                name="voice_comment_moderated_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk}"

    @property
    def flag_labels(self) -> list[str]:
        return [ScreeningFlag(f).label for f in self.flags if f in ScreeningFlag.values]


class YouSaidWeDid(models.Model):
    """What people said (a theme) and what was done about it: always a decision or action on the record
    (`record_kind`, `record_id`, through core.registry.record_kinds), and optionally an indicator to watch."""

    partnership = models.ForeignKey("register.Partnership", on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="answers")
    you_said = models.TextField()
    we_did = models.TextField()
    record_kind = models.CharField(max_length=40)
    record_id = models.PositiveIntegerField()
    indicator_id = models.PositiveIntegerField(null=True, blank=True)
    recorded_on = models.DateField()

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = "'you said, we did' entry"

    def __str__(self) -> str:
        return f"You said, we did: {self.theme}"


class FeedbackRelease(models.Model):
    """What disclosure control let through when a month ended (`month`, "2026-03", is the last month it
    includes): the groups and statement cells shown (`analysis.disclosure.Shown.to_dict`). Later releases are
    checked together with it, since what it showed is public and cannot be taken back. No answer is named."""

    partnership = models.ForeignKey("register.Partnership", on_delete=models.CASCADE, related_name="+")
    month = models.CharField(max_length=7)
    min_group_size = models.PositiveSmallIntegerField()
    shown = models.JSONField()
    made_on = models.DateField()

    class Meta:
        ordering = ["partnership_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "month"], name="voice_one_release_a_month")
        ]

    def __str__(self) -> str:
        return f"Feedback release to {self.month}"
