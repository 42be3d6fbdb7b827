"""The governance record's vocabulary, after the OParl (meetings, agenda items, papers) and Popolo (organisations,
memberships, vote events, counts) open standards."""

from django.db import models

from joinedup.register.choices import MembershipRole


class MeetingKind(models.TextChoices):
    BOARD = "board", "Board"
    STEERING_GROUP = "steering_group", "Steering group"
    OPERATIONAL = "operational", "Operational group"
    EXTRAORDINARY = "extraordinary", "Extraordinary meeting"


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    PRESENT_ONLINE = "present_online", "Present online"
    SUBSTITUTE = "substitute", "Present as a substitute"
    IN_ATTENDANCE = "in_attendance", "In attendance (not a member)"
    APOLOGIES = "apologies", "Apologies sent"
    ABSENT = "absent", "Absent without apologies"


PRESENT_STATUSES = frozenset(
    {AttendanceStatus.PRESENT, AttendanceStatus.PRESENT_ONLINE, AttendanceStatus.SUBSTITUTE}
)


class DecisionMethod(models.TextChoices):
    CONSENSUS = "consensus", "By consensus"
    VOTE = "vote", "By vote"


class VoteOption(models.TextChoices):
    FOR = "for", "For"
    AGAINST = "against", "Against"
    ABSTAIN = "abstain", "Abstain"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_ACTION_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVING = "resolving", "Being resolved"
    RESOLVED = "resolved", "Resolved"
    ESCALATED = "escalated", "Escalated"


CLOSED_DISPUTE_STATUSES = frozenset({DisputeStatus.RESOLVED, DisputeStatus.ESCALATED})

# The members whose organisations vote and count towards a quorum: not associates, observers or the
# expert-by-experience group, who take part without a vote.
VOTING_ROLES = frozenset({MembershipRole.LEAD, MembershipRole.HOST, MembershipRole.MEMBER})

# Papers: the largest file accepted, and what may never be uploaded (programs and scripts).
PAPER_MAX_BYTES = 20 * 1024 * 1024
PAPER_EXTENSIONS = frozenset(
    {
        ".pdf",
        ".docx",
        ".doc",
        ".odt",
        ".xlsx",
        ".xls",
        ".ods",
        ".pptx",
        ".odp",
        ".csv",
        ".txt",
        ".png",
        ".jpg",
        ".jpeg",
    }
)
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")

ATTENDANCE_RATE_DEFAULT = 6  # meetings
