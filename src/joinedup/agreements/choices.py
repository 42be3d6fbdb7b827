from django.db import models


class AgreementKind(models.TextChoices):
    TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
    MEMORANDUM = "memorandum", "Memorandum of understanding"
    SECTION_75 = "section_75", "Section 75 agreement"
    ALLIANCE = "alliance", "Alliance agreement"
    INFORMATION_SHARING = "information_sharing", "Information-sharing agreement"
    OTHER = "other", "Other agreement"


class Section75Kind(models.TextChoices):
    """The three flexibilities of section 75 of the NHS Act 2006 (formerly the Health Act 1999)."""

    POOLED_FUND = "pooled_fund", "Pooled fund"
    LEAD_COMMISSIONING = "lead_commissioning", "Lead commissioning"
    INTEGRATED_PROVISION = "integrated_provision", "Integrated provision"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    IN_FORCE = "in_force", "In force"
    SUPERSEDED = "superseded", "Superseded"


class ClauseKind(models.TextChoices):
    AIMS = "aims", "Aims and outcomes"
    FUNCTIONS = "functions", "Functions and services covered"
    PEOPLE = "people", "People covered"
    CONTRIBUTIONS = "contributions", "Contributions"
    POOLED_FUND = "pooled_fund", "Pooled fund and host"
    PROVIDED = "provided", "Staff, goods and premises provided"
    DURATION = "duration", "Duration, review, variation and termination"
    GOVERNANCE = "governance", "Governance and decision-making"
    RISK_SHARE = "risk_share", "Risk share"
    BENEFIT_SHARE = "benefit_share", "Benefit share"
    INFORMATION_SHARING = "information_sharing", "Information sharing"
    DISPUTES = "disputes", "Disputes and escalation"
    EXIT = "exit", "Exit"
    NEW_JOINT_WORK = "new_joint_work", "New joint work as it arises"


class Term(models.TextChoices):
    OPEN_ENDED = "open_ended", "Open-ended (no fixed end date)"
    FIXED_END = "fixed_end", "Ends on a fixed date"


class DecisionRule(models.TextChoices):
    CONSENSUS = "consensus", "Consensus"
    ONE_PARTNER_ONE_VOTE = "one_partner_one_vote", "One partner, one vote"
    WEIGHTED_BY_CONTRIBUTION = "weighted_by_contribution", "Votes weighted by contribution"
    LEAD_PARTNER_DECIDES = "lead_partner_decides", "The lead partner decides"


class Chairing(models.TextChoices):
    ROTATING = "rotating", "Rotates between partners"
    JOINTLY_CHOSEN = "jointly_chosen", "Chosen jointly by the partners"
    FIXED_PARTNER = "fixed_partner", "Always one partner"


class RiskShare(models.TextChoices):
    EACH_OWN = "each_own", "Each partner bears its own risks"
    PROPORTIONAL = "proportional", "In proportion to contributions"
    FIXED_SHARES = "fixed_shares", "In fixed shares"


class ContributionKind(models.TextChoices):
    MONEY = "money", "Money"
    STAFF = "staff", "Staff"
    PREMISES = "premises", "Premises"
    DATA = "data", "Data"
    OTHER = "other", "Other"


class PositionKind(models.TextChoices):
    SUPPORT = "support", "Support"
    OBJECT = "object", "Object"
    ABSTAIN = "abstain", "Abstain"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue as it is"
    REVISE = "revise", "Revise the agreement"
    END = "end", "End the agreement"
