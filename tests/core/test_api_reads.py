"""The API's reads that have no page of their own in another app's tests: waves with their live rates and
invitations, flags (network evidence only for those who may see networks), the "you said, we did" log, and the
status of a job the caller started (the seam reports and exports answer through)."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.core.api import job_accepted
from joinedup.core.permissions import forget_permissions
from tests.api_helpers import Api, token_for
from tests.assessments.helpers import add_answers, make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory
from tests.factories.core import JobFactory
from tests.factories.insight import FlagSetFactory
from tests.factories.surveys import InvitationFactory
from tests.factories.voice import YouSaidWeDidFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    partnership, orgs = partnership_with_members()
    coordinator, member = UserFactory(), UserFactory()
    grant(coordinator, partnership, "coordinator")
    grant(member, partnership, "member")
    return partnership, orgs, coordinator, member


def test_waves_with_live_counts_and_rates(world: Any) -> None:
    partnership, orgs, coordinator, member = world
    wave = make_wave(partnership, min_group_size=3)
    InvitationFactory(wave=wave, organisation=orgs["trust"])
    add_answers(wave, orgs["trust"], 2, compute=False)
    api = Api(user=member)
    listed = api.get(f"/api/v1/partnerships/{partnership.pk}/waves").json()["items"]
    assert [(w["id"], w["submitted"], w["invited"]) for w in listed] == [(wave.pk, 2, 1)]
    assert api.get(f"/api/v1/partnerships/{partnership.pk}/waves", {"status": "closed"}).json()["items"] == []
    detail = api.get(f"/api/v1/waves/{wave.pk}").json()
    trust = next(r for r in detail["rates"] if r["organisation_id"] == orgs["trust"].pk)
    assert (trust["invited"], trust["submitted"], trust["rate"]) == (1, 2, 2.0)
    assert api.get(f"/api/v1/waves/{wave.pk}/invitations").status_code == 403  # for those who run it
    invited = Api(user=coordinator).get(f"/api/v1/waves/{wave.pk}/invitations").json()["items"]
    assert [set(i) for i in invited] == [
        {"id", "email", "organisation_id", "sent_at", "reminded_at", "reminders"}
    ]
    outsider = UserFactory()
    grant(outsider, PartnershipFactory(), "coordinator")
    assert Api(user=outsider).get(f"/api/v1/waves/{wave.pk}").status_code == 404


def test_flags_leave_network_evidence_to_those_who_see_networks(world: Any) -> None:
    partnership, _orgs, coordinator, member = world
    flags = [
        {
            "code": "overdue_actions",
            "severity": "warning",
            "title": "Actions overdue",
            "evidence": {},
            "source": "",
            "action": "Chase",
            "url": "",
        },
        {
            "code": "peripheral_member",
            "severity": "info",
            "title": "On the edge",
            "evidence": {},
            "source": "",
            "action": "",
            "url": "",
        },
    ]
    FlagSetFactory(partnership=partnership, flags=flags)
    coordinated = Api(user=coordinator).get(f"/api/v1/partnerships/{partnership.pk}/flags").json()
    seen = [
        f["code"]
        for f in Api(user=member).get(f"/api/v1/partnerships/{partnership.pk}/flags").json()["flags"]
    ]
    assert {f["code"] for f in coordinated["flags"]} >= {"overdue_actions"}
    assert "overdue_actions" in seen
    empty = Api(user=coordinator).get(f"/api/v1/partnerships/{PartnershipFactory().pk}/flags")
    assert empty.status_code == 404


def test_the_you_said_we_did_log(world: Any) -> None:
    partnership, _orgs, coordinator, _member = world
    YouSaidWeDidFactory(partnership=partnership)
    log = Api(user=coordinator).get(f"/api/v1/voice/partnerships/{partnership.pk}/you-said-we-did").json()
    assert [e["you_said"] for e in log["items"]] == ["Waiting times are too long."]


def test_a_job_is_seen_by_whoever_started_it_only(world: Any) -> None:
    partnership, _orgs, coordinator, member = world
    job = JobFactory(title="A report", created_by=coordinator, partnership=partnership)
    accepted = job_accepted(job)
    assert accepted.status_code == 202 and accepted["Location"] == f"/api/v1/jobs/{job.pk}"
    mine = Api(token_for(coordinator, [partnership])).get(accepted["Location"])
    assert (
        mine.status_code == 200 and mine.json()["title"] == "A report" and mine.json()["result_url"] is None
    )
    assert Api(user=member).get(accepted["Location"]).status_code == 404
    assert Api().get(accepted["Location"]).status_code == 401
    elsewhere = PartnershipFactory()
    grant(coordinator, elsewhere, "coordinator")
    forget_permissions(coordinator)
    assert Api(token_for(coordinator, [elsewhere])).get(accepted["Location"]).status_code == 404
