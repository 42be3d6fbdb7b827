"""The insight app: every provider's facts in a fixed number of queries, the merge, the stored flags recomputed
on commit (never on a page view), the thresholds, `joinedup flags`, the pages per role and the needs."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from joinedup.analysis.flag_snapshot import PartnershipSnapshot
from joinedup.core.choices import AuditVerb, JobStatus
from joinedup.core.models import AuditEvent, Job
from joinedup.core.registry import FlagFacts, flag_facts, needs_for
from joinedup.insight import services
from joinedup.insight.choices import RECOMPUTE_JOB
from joinedup.insight.models import FlagSet
from joinedup.insight.snapshot import FactsClash, from_plain, snapshot_build, to_plain
from joinedup.register import services as register_services
from tests.conftest import grant
from tests.factories.accounts import UserFactory
from tests.factories.insight import FlagThresholdsFactory
from tests.insight.world import TODAY, World
from tests.query_counts import assert_num_queries_stable, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.mark.parametrize(
    "key", ["agreements", "assessments", "governance", "networks", "outcomes", "register", "voice"]
)
def test_each_provider_costs_the_same_queries_for_5_or_50_members(world, key):
    provider = flag_facts.get(key)
    assert provider is not None
    assert_num_queries_stable(
        lambda: provider.facts(partnership=world.partnership, today=TODAY), setup=world.grow, sizes=(5, 50)
    )


def test_the_snapshot_merges_every_provider_and_round_trips_as_json(world):
    world.grow(3)
    snapshot, health = snapshot_build(partnership=world.partnership, today=TODAY)
    assert len(snapshot.members) == 3 and len(snapshot.meetings) == 4 and len(snapshot.actions) == 3
    assert snapshot.agreements[0].in_force and snapshot.agreements[0].fixed_chair
    assert {"agreements", "meetings", "indicators", "feedback", "timeline"} <= set(snapshot.pages)
    assert "outcomes" in health and "voice" in health
    assert from_plain(PartnershipSnapshot, json.loads(json.dumps(to_plain(snapshot)))) == snapshot


def test_two_providers_giving_one_value_is_a_mistake(world):
    clash = FlagFacts(key="zz-clash", facts=lambda *, partnership, today: {"representatives": 1})
    flag_facts.add(clash)
    try:
        with pytest.raises(FactsClash, match="representatives"):
            snapshot_build(partnership=world.partnership, today=TODAY)
    finally:
        flag_facts.remove("zz-clash")


def test_the_growing_world_raises_its_flags_with_evidence(world):
    world.grow(4)
    flags = {
        f["code"]: f for f in services.flags_compute(partnership=world.partnership, today=TODAY)["flags"]
    }
    assert {
        "fading_attendance",
        "inquorate_decision",
        "overdue_actions",
        "dispute_unresolved",
        "pace_of_change",
    } <= set(flags)
    assert "overload" not in flags  # two partnerships of the place is not more than four
    assert flags["fading_attendance"]["evidence"]["members"][0]["absent"] == 3
    FlagThresholdsFactory(partnership=world.partnership, values={"overload_partnerships": 1})
    tuned = {
        f["code"]: f for f in services.flags_compute(partnership=world.partnership, today=TODAY)["flags"]
    }
    sitting = tuned["overload"]["evidence"]["sitting_in"]
    assert {o["kind"] for o in sitting} == {"organisation"} and len(sitting) == 4  # people sit in one
    assert list(flags) == sorted(
        flags, key=lambda c: ["critical", "warning", "info"].index(flags[c]["severity"])
    )


def test_an_audited_write_recomputes_the_flags_once_on_commit(
    world, django_capture_on_commit_callbacks, settings
):
    settings.FLAGS_RECOMPUTE_ON_WRITE = True
    world.grow(2)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register_services.event_record(
            by=user, partnership=world.partnership, kind="reorganisation", date=TODAY, title="A restructure"
        )
        register_services.event_record(
            by=user,
            partnership=world.partnership,
            kind="leader_change",
            date=TODAY,
            title="A new chief executive",
        )
    jobs = Job.objects.filter(kind=RECOMPUTE_JOB, key=f"partnership:{world.partnership.pk}")
    assert jobs.count() == 1 and jobs.get().status == JobStatus.DONE
    assert FlagSet.objects.get(partnership=world.partnership).flags


def test_a_page_view_never_computes_flags(world, client, settings):
    settings.FLAGS_RECOMPUTE_ON_WRITE = True
    world.grow(2)
    coordinator = UserFactory()
    grant(coordinator, world.partnership, "coordinator")
    client.force_login(coordinator)
    response = client.get(reverse("insight:health", args=[world.partnership.pk]))
    assert response.status_code == 200 and b"has not been worked out" in response.content
    assert not FlagSet.objects.exists() and not Job.objects.exists()


def test_the_health_page_costs_the_same_queries_for_5_or_200_members(world, client):
    coordinator = UserFactory()
    grant(coordinator, world.partnership, "coordinator")
    client.force_login(coordinator)

    def setup(n):
        world.grow(n)
        services.flags_recompute(partnership=world.partnership, today=TODAY)

    assert_num_queries_stable(
        client, reverse("insight:health", args=[world.partnership.pk]), setup=setup, sizes=(5, 200)
    )


def test_the_health_page_per_role(world, client):
    world.grow(3)
    services.flags_recompute(partnership=world.partnership, today=TODAY)
    url = reverse("insight:health", args=[world.partnership.pk])
    people = {role: UserFactory() for role in ("coordinator", "observer", "member")}
    for role, person in people.items():
        grant(person, world.partnership, role)
    client.force_login(people["coordinator"])
    page = client.get(url).content.decode()
    assert "Warning flags" in page and "dispute(s) unresolved" in page and "Change the thresholds" in page
    assert "Integration" in page or "integration" in page
    client.force_login(people["observer"])
    page = client.get(url).content.decode()
    assert "Working relationships" not in page and "Change the thresholds" not in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_coordinator_tunes_a_threshold_audited_and_a_bad_one_is_named(world, client):
    coordinator = UserFactory()
    grant(coordinator, world.partnership, "coordinator")
    with pytest.raises(ValidationError) as bad:
        services.thresholds_save(by=coordinator, partnership=world.partnership, values={"dispute_days": -3})
    assert "dispute_days" in bad.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        services.thresholds_save(by=coordinator, partnership=world.partnership, values={"no_such": 1})
    assert "no_such" in unknown.value.message_dict
    services.thresholds_save(by=coordinator, partnership=world.partnership, values={"dispute_days": 400})
    event = AuditEvent.objects.get(verb=AuditVerb.PARTNERSHIP_UPDATED, target_type="insight.flagthresholds")
    assert event.data["flag_thresholds"]["after"] == {"dispute_days": 400.0}
    assert event.chain == f"partnership:{world.partnership.pk}"
    computed = services.flags_compute(partnership=world.partnership, today=TODAY)
    assert "dispute_unresolved" not in {f["code"] for f in computed["flags"]}  # 336 days < 400
    member = UserFactory()
    grant(member, world.partnership, "member")
    client.force_login(member)
    assert client.get(reverse("insight:thresholds", args=[world.partnership.pk])).status_code == 403


def test_the_command_prints_json_and_text_and_exits_2_when_not_found(world):
    world.grow(2)
    out = StringIO()
    call_command("flags", str(world.partnership.pk), stdout=out)
    document = json.loads(out.getvalue())
    assert set(document) >= {"partnership", "computed_at", "flags"}
    assert set(document["flags"][0]) == {"code", "severity", "title", "evidence", "source", "action", "url"}
    text = StringIO()
    call_command("flags", world.partnership.name, "--format", "text", stdout=text)
    assert "(dispute_unresolved)" in text.getvalue()
    for wrong in ("999999", "No such partnership"):
        with pytest.raises(CommandError) as error:
            call_command("flags", wrong)
        assert error.value.returncode == 2
    assert not FlagSet.objects.exists()  # the command only reads


def test_coordinators_see_warning_flags_on_their_home_and_others_do_not(world):
    world.grow(2)
    services.flags_recompute(partnership=world.partnership, today=TODAY)
    coordinator, member = UserFactory(), UserFactory()
    grant(coordinator, world.partnership, "coordinator")
    grant(member, world.partnership, "member")
    needs = [n for n in needs_for(user=coordinator, today=TODAY) if n.title.startswith("Flag:")]
    assert any("dispute" in n.title for n in needs)
    assert all(n.url == reverse("insight:health", args=[world.partnership.pk]) for n in needs)
    assert not [n for n in needs_for(user=member, today=TODAY) if n.title.startswith("Flag:")]


def test_needs_cost_the_same_queries_for_few_or_many_partnerships():
    coordinator = UserFactory()

    def setup(n):
        for _ in range(n):
            w = World()
            w.grow(1)
            grant(coordinator, w.partnership, "coordinator")
            services.flags_recompute(partnership=w.partnership, today=TODAY)

    assert_num_queries_stable(lambda: needs_for(user=coordinator, today=TODAY), setup=setup, sizes=(2, 6))


def test_the_partnership_page_links_to_the_health_page_with_the_flag_count(world, client):
    world.grow(2)
    flag_set = services.flags_recompute(partnership=world.partnership, today=TODAY)
    coordinator = UserFactory()
    grant(coordinator, world.partnership, "coordinator")
    client.force_login(coordinator)
    page = client.get(reverse("register:partnership_detail", args=[world.partnership.pk])).content.decode()
    assert reverse("insight:health", args=[world.partnership.pk]) in page
    assert f"{len(flag_set.flags)} warning flags are raised" in page
    assert count_queries  # the page's own query count is pinned by tests/register


def test_writes_queue_nothing_when_recompute_on_write_is_off(
    world, django_capture_on_commit_callbacks, settings
):
    settings.FLAGS_RECOMPUTE_ON_WRITE = False
    with django_capture_on_commit_callbacks(execute=True):
        register_services.event_record(
            by=UserFactory(), partnership=world.partnership, kind="other", date=TODAY, title="A note"
        )
    assert not Job.objects.exists() and not FlagSet.objects.exists()


def test_the_thresholds_page_saves_what_a_coordinator_changes_and_names_a_bad_field(world, client):
    from joinedup.analysis.flags import load_settings
    from joinedup.insight.models import FlagThresholds

    coordinator = UserFactory()
    grant(coordinator, world.partnership, "coordinator")
    client.force_login(coordinator)
    url = reverse("insight:thresholds", args=[world.partnership.pk])
    form = {**load_settings().thresholds, "dispute_days": 200}
    response = client.post(url, {**form, "trust_low_share": "lots"})
    assert response.status_code == 200 and "Enter a number" in response.content.decode()
    response = client.post(url, form)
    assert response.status_code == 302 and response["Location"] == reverse(
        "insight:health", args=[world.partnership.pk]
    )
    assert FlagThresholds.objects.get(partnership=world.partnership).values == {"dispute_days": 200.0}


def test_a_partnership_with_no_records_yet_has_a_plain_health_page(client):
    from tests.factories.register import PartnershipFactory

    bare = PartnershipFactory()
    flag_set = services.flags_recompute(partnership=bare)
    assert {f["code"] for f in flag_set.flags} == {"no_shared_outcomes", "no_service_user_voice"}
    assert flag_set.ladder["step"] == "isolation"
    coordinator = UserFactory()
    grant(coordinator, bare, "coordinator")
    client.force_login(coordinator)
    page = client.get(reverse("insight:health", args=[bare.pk])).content.decode()
    assert "No agreement is recorded" in page and "No assessment has released results yet" in page
    assert "No meeting has been held yet" in page and "No feedback has arrived" in page
