"""The board's record: meetings (with agenda items, papers and attendance), the quorum rule, decisions (with
votes and declarations of interest), actions and the disputes and tensions log. Names follow OParl and Popolo."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from joinedup.governance.choices import (
    ActionStatus,
    AttendanceStatus,
    DecisionMethod,
    DisputeStatus,
    MeetingKind,
    MeetingState,
    VoteOption,
)
from joinedup.register.choices import Sector
from joinedup.register.models import Organisation, Partnership, Person


def sector_words(sector: str) -> str:
    """A sector's name for the middle of a sentence ("NHS", "local authority")."""
    label = str(Sector(sector).label)
    return label if label[:3].isupper() else label[0].lower() + label[1:]


class QuorumRule(models.Model):
    """When a meeting of the partnership may decide: a minimum count and/or share of voting members, and
    constituencies (each at least `minimum` voting members of an organisation sector).
    `constituencies` is a list of {"sector": "nhs", "minimum": 1}."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="quorum_rule")
    min_count = models.PositiveSmallIntegerField("at least this many voting members", null=True, blank=True)
    min_share_percent = models.PositiveSmallIntegerField(
        "at least this share of voting members (per cent)", null=True, blank=True
    )
    constituencies = models.JSONField(default=list, blank=True)
    source = models.TextField(
        "where the rule comes from",
        blank=True,
        help_text="For example the governance clause of the agreement.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_share_percent__isnull=True) | Q(min_share_percent__lte=100),
                name="quorum_share_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return f"Quorum rule of {self.partnership}"

    @property
    def conditions(self) -> list[dict[str, object]]:
        """The constituencies with their sectors' names."""
        return [
            {"sector": c["sector"], "label": sector_words(c["sector"]), "minimum": c["minimum"]}
            for c in self.constituencies
        ]


class Meeting(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices, default=MeetingKind.BOARD)
    state = models.CharField(max_length=12, choices=MeetingState.choices, default=MeetingState.SCHEDULED)
    title = models.CharField(max_length=200)
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField(null=True, blank=True)
    place = models.CharField("where", max_length=300, blank=True)
    online = models.BooleanField("online", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%-d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.pk])


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    is_private = models.BooleanField("private", default=False)
    note = models.TextField("note or minute", blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Paper(models.Model):
    """A file for a meeting (an OParl paper), private when its agenda item is, or when marked so."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="papers"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="governance/papers/%Y/%m/")
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    is_private = models.BooleanField("private", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def private(self) -> bool:
        return self.is_private or bool(self.item and self.item.is_private)


class Attendance(models.Model):
    """One person at (or missing from) a meeting, for an organisation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)
    substitute_for = models.CharField("standing in for", max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "organisation__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation", "name"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(status=AttendanceStatus.SUBSTITUTE) | Q(substitute_for=""),
                name="attendance_only_substitutes_stand_in",
            ),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.SUBSTITUTE) | ~Q(substitute_for=""),
                name="attendance_substitute_names_whom",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.organisation} at {self.meeting}: {self.get_status_display()}"


class Decision(models.Model):
    """A resolution of a meeting, with the quorum as it stood when it was taken (a stored snapshot)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    title = models.CharField(max_length=200)
    text = models.TextField("what was decided")
    reasons = models.TextField(blank=True)
    options_rejected = models.TextField("options considered and rejected", blank=True)
    method = models.CharField(max_length=10, choices=DecisionMethod.choices, default=DecisionMethod.CONSENSUS)
    quorate = models.BooleanField(null=True, help_text="Empty when the partnership had no quorum rule.")
    quorum_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:decision", args=[self.pk])

    @property
    def inquorate(self) -> bool:
        return self.quorate is False

    @property
    def vote_counts(self) -> str:
        """The count of each option, in words ("2 for, 1 against, no abstentions"), from the (prefetched) votes."""
        options = [v.option for v in self.votes.all()]
        n_for, n_against, n_abstain = (
            options.count(o) for o in (VoteOption.FOR, VoteOption.AGAINST, VoteOption.ABSTAIN)
        )
        abstentions = (
            "no abstentions" if not n_abstain else f"{n_abstain} abstention{'s' if n_abstain != 1 else ''}"
        )
        return f"{n_for} for, {n_against} against, {abstentions}"


class Vote(models.Model):
    """One voting organisation's vote on a decision (a Popolo vote in a vote event)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=8, choices=VoteOption.choices)

    class Meta:
        ordering = ["decision", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["decision", "organisation"], name="vote_once")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_option_display()}"


class Declaration(models.Model):
    """A declaration of interest made, by name, before a decision."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="declarations")
    name = models.CharField("who", max_length=200)
    interest = models.CharField(max_length=500)

    class Meta:
        ordering = ["decision", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.interest}"


class Action(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="governance_actions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    title = models.CharField("what is to be done", max_length=300)
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    owner_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due = models.DateField("due by", null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed = models.DateField("completed on", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    overdue = False  # not stored: selectors.mark_overdue sets it for the day a page is shown

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ActionStatus.DONE, completed__isnull=False)
                | (~Q(status=ActionStatus.DONE) & Q(completed__isnull=True)),
                name="action_completed_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:action", args=[self.pk])


class Dispute(models.Model):
    """A dispute or tension between partners, from raised to resolved or escalated."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="disputes")
    topic = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    raised_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    partners = models.ManyToManyField(Organisation, related_name="+", verbose_name="partners involved")
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    escalation_step = models.TextField(
        "escalation step taken",
        blank=True,
        help_text="The step of the agreement's disputes clause that was taken (quote it).",
    )
    raised_on = models.DateField()
    closed_on = models.DateField("resolved or escalated on", null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[DisputeStatus.RESOLVED, DisputeStatus.ESCALATED], closed_on__isnull=False
                )
                | (
                    ~Q(status__in=[DisputeStatus.RESOLVED, DisputeStatus.ESCALATED])
                    & Q(closed_on__isnull=True)
                ),
                name="dispute_closed_on_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("raised_on")),
                name="dispute_closed_after_raised",
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("governance:dispute", args=[self.pk])
