"""Audit events: one enum of verbs, whose values are the strings already stored."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent
from joinedup.core.services import audit_record
from tests.factories import OrganisationFactory

# The verbs stored before AuditVerb existed. Rows in the database carry these strings, so a value must never
# change: give a new kind of change a new member instead.
STORED_VERBS = {
    "organisation.created",
    "organisation.updated",
    "organisations.imported",
    "person.created",
    "person.updated",
    "affiliation.saved",
    "partnership.created",
    "partnership.updated",
    "membership.added",
    "membership.updated",
    "membership.ended",
    "event.recorded",
    "role.granted",
    "agreement.created",
    "agreement.draft_started",
    "agreement.draft_saved",
    "agreement.proposed",
    "agreement.proposal_withdrawn",
    "agreement.commented",
    "agreement.position_recorded",
    "agreement.signed",
    "agreement.in_force",
    "agreement.superseded",
    "agreement.reviewed",
    "wave.created",
    "wave.opened",
    "wave.closed",
    "wave.invited",
    "wave.reminded",
    "wave.responses_imported",
    "network.file_analyse",
}


def test_every_stored_verb_is_still_a_verb() -> None:
    assert set(AuditVerb.values) >= STORED_VERBS


@pytest.mark.django_db
def test_a_free_string_is_not_a_verb() -> None:
    organisation = OrganisationFactory()
    verb: Any = "organisation.renamed"
    with pytest.raises(ValueError, match=r"organisation\.renamed"):
        audit_record(by=None, verb=verb, target=organisation)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_verb_is_stored_as_its_value_and_shown_by_its_label() -> None:
    event = audit_record(by=None, verb=AuditVerb.ORGANISATION_UPDATED, target=OrganisationFactory())
    event.refresh_from_db()
    assert event.verb == "organisation.updated"
    assert event.get_verb_display() == "Organisation changed"
