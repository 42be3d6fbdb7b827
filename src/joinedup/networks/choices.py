"""The answer scales of the relationship survey. The wording is ours (after the PARTNER tool's dimensions and the
Levels of Collaboration scale, whose item texts are not copied)."""

from __future__ import annotations

from django.db import models

RELATIONSHIP_KIND = "relationship"  # Wave.kind of a relationship survey (registered in hooks.py)


class Frequency(models.IntegerChoices):
    NEVER = 0, "Never"
    YEARLY = 1, "About once a year"
    QUARTERLY = 2, "About every three months"
    MONTHLY = 3, "About once a month"
    WEEKLY = 4, "About once a week"
    DAILY = 5, "Every day or nearly every day"


class Level(models.IntegerChoices):
    NONE = 0, "None – we do not work together"
    NETWORKING = 1, "Networking – we know each other and pass on news"
    COOPERATION = 2, "Cooperation – we help each other when asked"
    COORDINATION = 3, "Coordination – we plan our separate work so that it fits together"
    COALITION = 4, "Coalition – we share ideas, resources and some decisions"
    COLLABORATION = 5, "Collaboration – we act as one team with shared aims and decisions"


class Exchange(models.TextChoices):
    INFORMATION = "information", "We share information"
    REFERRALS = "referrals", "We refer people to each other"
    PLANNING = "planning", "We plan services or projects together"
    STAFF = "staff", "We share staff, premises or other resources"
    DELIVERY = "delivery", "We deliver services together"
    MONEY = "money", "We pool or share money"


EXCHANGE_SHORT = {
    Exchange.INFORMATION: "Information sharing",
    Exchange.REFERRALS: "Referrals",
    Exchange.PLANNING: "Joint planning",
    Exchange.STAFF: "Shared staff or resources",
    Exchange.DELIVERY: "Joint delivery",
    Exchange.MONEY: "Pooled money",
}

# 1-4 agreement scale for the trust and value items.
AGREEMENT_SCALE = [
    (1, "Not at all"),
    (2, "A little"),
    (3, "Mostly"),
    (4, "Completely"),
]

# (field, question). {org} is replaced by the organisation's name.
TRUST_QUESTIONS = [
    ("trust_reliability", "{org} does what it says it will do."),
    ("trust_mission", "{org} is committed to what this partnership is trying to achieve."),
    ("trust_openness", "{org} is willing to talk things through and hear other views."),
]
VALUE_QUESTIONS = [
    ("value_power", "{org} has the influence to get things done for the partnership."),
    ("value_involvement", "{org} takes an active part in the partnership's work."),
    ("value_resources", "{org} brings money, staff, skills or other resources that the partnership needs."),
]
RATING_FIELDS = ("frequency", "level", *(f for f, _ in TRUST_QUESTIONS), *(f for f, _ in VALUE_QUESTIONS))
