from __future__ import annotations

from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class RoleKind(models.TextChoices):
    """The roles a user can hold in a partnership (rows of register.PartnershipRole; see core.permissions)."""

    COORDINATOR = "coordinator", "Partnership coordinator"
    REPRESENTATIVE = "representative", "Partner representative"
    MEMBER = "member", "Member"
    EVALUATOR = "evaluator", "Evaluator"
    OBSERVER = "observer", "Observer"
    # A place role: reads this partnership and every partnership under it (core.permissions.SystemLeader)
    SYSTEM_LEADER = "system_leader", "System leader"


class AuditVerb(models.TextChoices):
    """What an audit event records. Every service names one of these; the values are what is stored."""

    # accounts
    EMAIL_CHANGE_REQUESTED = "account.email_change_requested", "E-mail address change asked for"
    EMAIL_CHANGED = "account.email_changed", "E-mail address changed"
    # register
    ORGANISATION_CREATED = "organisation.created", "Organisation added"
    ORGANISATION_UPDATED = "organisation.updated", "Organisation changed"
    ORGANISATIONS_IMPORTED = "organisations.imported", "Organisations imported"
    PERSON_CREATED = "person.created", "Person added"
    PERSON_UPDATED = "person.updated", "Person changed"
    AFFILIATION_SAVED = "affiliation.saved", "Affiliation saved"
    PARTNERSHIP_CREATED = "partnership.created", "Partnership created"
    PARTNERSHIP_UPDATED = "partnership.updated", "Partnership changed"
    MEMBERSHIP_ADDED = "membership.added", "Member added"
    MEMBERSHIP_UPDATED = "membership.updated", "Membership changed"
    MEMBERSHIP_ENDED = "membership.ended", "Membership ended"
    EVENT_RECORDED = "event.recorded", "Event recorded"
    ROLE_GRANTED = "role.granted", "Role granted"
    ROLE_CHANGED = "role.changed", "Role changed"
    ROLE_ENDED = "role.ended", "Role ended"
    ROLE_INVITED = "role.invited", "Invited to a role"
    ROLE_INVITATION_RESENT = "role.invitation_resent", "Role invitation sent again"
    ROLE_INVITATION_REVOKED = "role.invitation_revoked", "Role invitation withdrawn"
    ROLE_INVITATION_ACCEPTED = "role.invitation_accepted", "Role invitation accepted"
    TOKEN_CREATED = "token.created", "API token made"
    TOKEN_REVOKED = "token.revoked", "API token revoked"
    TOKEN_USED = "token.used", "API token used"
    PERSON_EXPORTED = "person.exported", "Everything held about a person exported"
    PERSON_ERASED = "person.erased", "Person erased"
    # agreements
    AGREEMENT_CREATED = "agreement.created", "Agreement created"
    AGREEMENT_DRAFT_STARTED = "agreement.draft_started", "Draft started"
    AGREEMENT_DRAFT_SAVED = "agreement.draft_saved", "Draft saved"
    AGREEMENT_PROPOSED = "agreement.proposed", "Draft proposed"
    AGREEMENT_PROPOSAL_WITHDRAWN = "agreement.proposal_withdrawn", "Proposal withdrawn"
    AGREEMENT_COMMENTED = "agreement.commented", "Comment added"
    AGREEMENT_POSITION_RECORDED = "agreement.position_recorded", "Position recorded"
    AGREEMENT_SIGNED = "agreement.signed", "Signed"
    AGREEMENT_IN_FORCE = "agreement.in_force", "Came into force"
    AGREEMENT_SUPERSEDED = "agreement.superseded", "Superseded"
    AGREEMENT_REVIEWED = "agreement.reviewed", "Agreement reviewed"
    # survey waves
    WAVE_CREATED = "wave.created", "Wave created"
    WAVE_OPENED = "wave.opened", "Wave opened"
    WAVE_CLOSED = "wave.closed", "Wave closed"
    WAVE_INVITED = "wave.invited", "Invitations sent"
    WAVE_REMINDED = "wave.reminded", "Reminders sent"
    WAVE_RESPONSES_IMPORTED = "wave.responses_imported", "Answers imported"
    COMMENT_REDACTED = "assessment.comment_redacted", "Comment redacted"
    # networks
    NETWORK_FILE_ANALYSE = "network.file_analyse", "Network files analysed"
    # outcomes
    INDICATOR_CREATED = "indicator.created", "Indicator added"
    INDICATOR_UPDATED = "indicator.updated", "Indicator changed"
    INDICATOR_DEFINITION_CHANGED = (
        "indicator.definition_changed",
        "Indicator definition changed (new version)",
    )
    INDICATOR_REBASED = "indicator.rebased", "Chart limits recalculated from a point (rebase)"
    MEASUREMENT_RECORDED = "measurement.recorded", "Measurement recorded"
    MEASUREMENT_REVISED = "measurement.revised", "Measurement revised"
    MEASUREMENTS_IMPORTED = "measurements.imported", "Measurements imported"
    # voice
    FEEDBACK_FORM_CREATED = "feedback.form_created", "Feedback form created"
    FEEDBACK_FORM_UPDATED = "feedback.form_updated", "Feedback form changed"
    FEEDBACK_COMMENT_PUBLISHED = "feedback.comment_published", "Feedback comment published"
    FEEDBACK_COMMENT_EDITED = "feedback.comment_edited", "Feedback comment edited"
    FEEDBACK_COMMENT_WITHHELD = "feedback.comment_withheld", "Feedback comment withheld"
    FEEDBACK_SAFEGUARDING_FLAGGED = "feedback.safeguarding_flagged", "Safeguarding concern flagged"
    FEEDBACK_THEMES_TAGGED = "feedback.themes_tagged", "Feedback comment themes tagged"
    FEEDBACK_THEME_SAVED = "feedback.theme_saved", "Feedback theme saved"
    YOU_SAID_WE_DID_SAVED = "feedback.you_said_we_did_saved", "'You said, we did' entry saved"
    # governance
    MEETING_SCHEDULED = "meeting.scheduled", "Meeting scheduled"
    MEETING_UPDATED = "meeting.updated", "Meeting changed"
    MEETING_CANCELLED = "meeting.cancelled", "Meeting cancelled"
    MEETING_HELD = "meeting.held", "Meeting recorded as held"
    AGENDA_ITEM_SAVED = "meeting.agenda_item_saved", "Agenda item saved"
    MEETING_PAPER_ADDED = "meeting.paper_added", "Meeting paper added"
    ATTENDANCE_RECORDED = "meeting.attendance_recorded", "Attendance recorded"
    QUORUM_RULE_SAVED = "governance.quorum_rule_saved", "Quorum rule saved"
    DECISION_RECORDED = "decision.recorded", "Decision recorded"
    DECISION_UPDATED = "decision.updated", "Decision changed"
    ACTION_CREATED = "action.created", "Action added"
    ACTION_UPDATED = "action.updated", "Action changed"
    DISPUTE_RAISED = "dispute.raised", "Dispute raised"
    DISPUTE_UPDATED = "dispute.updated", "Dispute changed"
    # the Django admin (site admins' edits that go around the pages)
    ADMIN_ADDED = "admin.added", "Added in the admin"
    ADMIN_CHANGED = "admin.changed", "Changed in the admin"
    ADMIN_DELETED = "admin.deleted", "Deleted in the admin"
