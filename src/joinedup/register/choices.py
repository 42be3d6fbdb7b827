from django.db import models


class Sector(models.TextChoices):
    NHS = "nhs", "NHS"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    VOLUNTARY = "voluntary", "Voluntary and community"
    INDEPENDENT = "independent", "Independent provider"
    HOUSING = "housing", "Housing"
    POLICE_JUSTICE = "police_justice", "Police and justice"
    EDUCATION = "education", "Education"
    SERVICE_USER = "service_user", "Service-user or carer group"
    OTHER = "other", "Other"


class Profession(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    GP = "gp", "General practitioner"
    NURSE = "nurse", "Nurse"
    MENTAL_HEALTH_NURSE = "mental_health_nurse", "Mental health nurse"
    SOCIAL_WORKER = "social_worker", "Social worker"
    OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    PSYCHIATRIST = "psychiatrist", "Psychiatrist"
    PHARMACIST = "pharmacist", "Pharmacist"
    ALLIED_HEALTH = "allied_health", "Allied health professional"
    CARE_WORKER = "care_worker", "Care worker"
    HOUSING_OFFICER = "housing_officer", "Housing officer"
    POLICE_OFFICER = "police_officer", "Police officer"
    PROBATION_OFFICER = "probation_officer", "Probation officer"
    PEER_WORKER = "peer_worker", "Peer support worker"
    COMMISSIONER = "commissioner", "Commissioner"
    MANAGER = "manager", "Manager or administrator"
    PUBLIC_HEALTH = "public_health", "Public health professional"
    VOLUNTEER = "volunteer", "Volunteer"
    ELECTED_MEMBER = "elected_member", "Elected member"
    SERVICE_USER = "service_user", "Service user or carer"
    OTHER = "other", "Other"


class PartnershipKind(models.TextChoices):
    HORIZONTAL = "horizontal", "Horizontal (broad strategic)"
    VERTICAL = "vertical", "Vertical (service integration)"


class PartnershipStatus(models.TextChoices):
    FORMING = "forming", "Forming"
    ACTIVE = "active", "Active"
    REVIEWING = "reviewing", "Reviewing"
    ENDING = "ending", "Ending"
    ENDED = "ended", "Ended"


class MembershipRole(models.TextChoices):
    LEAD = "lead", "Lead"
    HOST = "host", "Host"
    MEMBER = "member", "Member"
    ASSOCIATE = "associate", "Associate"
    OBSERVER = "observer", "Observer"
    EXPERT_BY_EXPERIENCE = "expert_by_experience", "Expert-by-experience group"


class EventKind(models.TextChoices):
    FORMATION = "formation", "Formation"
    MEMBER_JOINED = "member_joined", "Member joined"
    MEMBER_LEFT = "member_left", "Member left"
    MERGER = "merger", "Merger"
    REORGANISATION = "reorganisation", "Reorganisation"
    LEADER_CHANGE = "leader_change", "Leader change"
    FUNDING_CHANGE = "funding_change", "Funding change"
    POLICY_CHANGE = "policy_change", "Policy change"
    OTHER = "other", "Other"


# Who counts as a service user or carer (DESIGN.md §6: listed only to site admins and the coordinators of the
# partnerships they belong to): a person recorded with one of these professions, or affiliated (now or
# before) with an organisation of one of these sectors, such as a service-user forum.
PROTECTED_PROFESSIONS = frozenset({Profession.SERVICE_USER})
PROTECTED_SECTORS = frozenset({Sector.SERVICE_USER})
