from django.db import models

MIN_FEEDBACK_GROUP = 10  # the smallest group of answers shown (DESIGN.md §6: 10 for service-user feedback)

# "You said, we did" entries point at records other apps keep (core.registry.record_kinds).
ANSWER_KINDS = ("governance.decision", "governance.action")
INDICATOR_KIND = "outcomes.indicator"


class CommentStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a moderator"
    PUBLISHED = "published", "Published"
    WITHHELD = "withheld", "Withheld"


class ScreeningFlag(models.TextChoices):
    NAME = "name", "a person's name"
    EMAIL = "email", "an e-mail address"
    PHONE = "phone", "a phone number"
    LINK = "link", "a link"
