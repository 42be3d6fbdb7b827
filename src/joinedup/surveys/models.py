"""Survey waves: the machinery shared by assessments and relationship surveys.

A wave is one round of a survey in one partnership. People answer by a single-use invitation link (sent by e-mail)
or by the wave's open link; either way their answers live in one `Response`, which can be saved and resumed by the
same link until it is submitted. Only hashes of the link tokens are stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from joinedup.core.registry import wave_kind_choices
from joinedup.surveys.choices import Anonymity, RoleLevel, WaveStatus

MIN_GROUP_FLOOR = 3


class Wave(models.Model):
    partnership = models.ForeignKey("register.Partnership", on_delete=models.CASCADE, related_name="waves")
    kind = models.CharField(max_length=12, choices=wave_kind_choices)  # the kinds apps registered
    title = models.CharField(max_length=300)
    instrument_key = models.CharField(max_length=80, blank=True)
    instrument = models.JSONField(
        default=dict,
        blank=True,
        help_text="The validated instrument, kept with the wave so it never changes under it.",
    )
    audience = models.CharField(max_length=200, blank=True)
    anonymity = models.CharField(max_length=12, choices=Anonymity.choices, default=Anonymity.CONFIDENTIAL)
    min_group_size = models.PositiveSmallIntegerField(
        "smallest group shown",
        default=5,
        help_text="Groups with fewer respondents are never shown (at least 3).",
    )
    opens = models.DateField()
    closes = models.DateField()
    status = models.CharField(max_length=8, choices=WaveStatus.choices, default=WaveStatus.DRAFT)
    open_link_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gte=F("opens")), name="wave_closes_after_opens"),
            models.CheckConstraint(
                condition=Q(min_group_size__gte=MIN_GROUP_FLOOR), name="wave_min_group_at_least_3"
            ),
            models.UniqueConstraint(
                fields=["open_link_hash"], condition=~Q(open_link_hash=""), name="wave_open_link_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def past_closing(self) -> bool:
        """Open, but its closing date has passed (answers are taken until the end of that day, UK time). Pages
        show it closed and nothing takes answers; the scheduled housekeeping job then closes it for good."""
        return self.status == WaveStatus.OPEN and self.closes < timezone.localdate()

    @property
    def state(self) -> str:
        """The status as people should see it: closed once the closing date has passed."""
        return WaveStatus.CLOSED if self.past_closing else self.status

    def get_state_display(self) -> str:
        return str(WaveStatus(self.state).label)

    @property
    def accepting_answers(self) -> bool:
        return self.state == WaveStatus.OPEN


class Invitation(models.Model):
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    person = models.ForeignKey(
        "register.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "register.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    answered = models.BooleanField(
        default=False,
        help_text="Answers have been sent with this invitation. In anonymous waves this is all that is kept: "
        "no link to the response and no time.",
    )
    # Which send (the first job of a chain of tries) last began e-mailing this invitation, and whether the e-mail
    # is known to have gone: a send job run again skips what it began, so nobody is e-mailed twice.
    send_key = models.CharField(max_length=64, blank=True)
    send_confirmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["email", "id"]
        constraints = [models.UniqueConstraint(fields=["wave", "email"], name="invitation_one_per_email")]

    def __str__(self) -> str:
        return f"{self.email} – {self.wave}"


class Response(models.Model):
    """One person's answers to a wave. `answers` maps item key to a value on the scale, or "dk" for don't know.

    A draft is linked to its invitation and resume link (so it can be saved and carried on). When the answers of an
    anonymous wave are sent, that link is cut: the invitation only records that it was answered, and the response
    keeps the date it was sent (`submitted_on`) and no times (`started_at`, `updated_at`, `submitted_at` are
    empty) and no resume link. Confidential and named waves keep the times. `submitted_on` says a response has
    been sent, in every wave.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    resume_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    organisation = models.ForeignKey(
        "register.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sector = models.CharField(max_length=20, blank=True)
    profession = models.CharField(max_length=30, blank=True)
    role_level = models.CharField(max_length=20, choices=RoleLevel.choices, blank=True)
    respondent_name = models.CharField(max_length=200, blank=True, help_text="Kept only in named waves.")
    answers = models.JSONField(default=dict, blank=True)
    comments = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    updated_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    submitted_on = models.DateField(null=True, blank=True, help_text="The day the answers were sent.")
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="Not kept in anonymous waves.")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["wave", "submitted_on"], name="response_wave_submitted")]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(submitted_on__isnull=False),
                name="response_submitted_at_has_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.wave}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_on is not None
