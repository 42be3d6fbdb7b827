"""The fixed lists of the outcomes app: kinds of indicator, the Results-Based Accountability questions,
improvement directions and how often an indicator is measured."""

from django.db import models

from joinedup.analysis.spc import Direction as SpcDirection


class IndicatorKind(models.TextChoices):
    PROCESS = "process", "Process (how the work is done)"
    OUTPUT = "output", "Output (what the work produces)"
    OUTCOME = "outcome", "Outcome (the difference it makes to people)"
    EXPERIENCE = "experience", "Experience (how people found it)"


class RbaQuestion(models.TextChoices):
    """Results-Based Accountability's three questions of performance."""

    HOW_MUCH = "how_much", "How much did we do?"
    HOW_WELL = "how_well", "How well did we do it?"
    BETTER_OFF = "better_off", "Is anyone better off?"


class Direction(models.TextChoices):
    INCREASE = SpcDirection.INCREASE.value, "Higher is better"
    DECREASE = SpcDirection.DECREASE.value, "Lower is better"
    NEUTRAL = SpcDirection.NEUTRAL.value, "Neither (no better or worse)"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual (April to March)"


# Changing one of these changes what the figures mean: it starts a new version of the definition.
DEFINITION_FIELDS = ("definition", "unit", "direction")
# The record_kinds keys this app stores links with (the apps that keep those records register them).
CLAUSE_KIND = "agreements.clause"
DECISION_KIND = "governance.decision"
INDICATOR_KIND = "outcomes.indicator"
