from django.db import models

SEND_JOB = "surveys.send"  # the background job that e-mails a wave's invitations or reminders (jobs.py)


class Anonymity(models.TextChoices):
    ANONYMOUS = "anonymous", "Anonymous – no names are kept"
    CONFIDENTIAL = "confidential", "Confidential – names kept but never shown"
    NAMED = "named", "Named – answers shown with names"


class WaveStatus(models.TextChoices):
    DRAFT = "draft", "Not open yet"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RoleLevel(models.TextChoices):
    FRONTLINE = "frontline", "Front-line practitioner"
    MANAGER = "manager", "Team or service manager"
    SENIOR = "senior", "Senior leader or director"
    BOARD = "board", "Board member or elected member"
    VOLUNTEER = "volunteer", "Volunteer"
    SERVICE_USER = "service_user", "Service user or carer"
    OTHER = "other", "Other"
