"""The warning-flag rules (analysis/flags.py, flag_rules.py): for each, a snapshot that triggers it and one
just on the other side of its threshold that does not, with the evidence worked out by hand; and the
settings: the shipped file against its schema, a partnership's overrides, and bad settings refused by path."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest

from joinedup.analysis.flag_snapshot import (
    ActionFacts,
    AgreementFacts,
    ChangeEvent,
    DecisionFacts,
    DisputeFacts,
    IndicatorFacts,
    MeetingFacts,
    Member,
    NetworkPosition,
    Overload,
    PartnershipSnapshot,
    PerceptionGap,
    TrustReading,
)
from joinedup.analysis.flags import (
    RULES,
    SETTINGS_PATH,
    FlagSettingsError,
    evaluate,
    load_settings,
    parse_settings,
)

TODAY = datetime.date(2026, 12, 7)
D = datetime.date
A, B, C = (Member(key=k, name=f"Org {k.upper()}", url=f"/o/{k}/") for k in "abc")
IN_FORCE = AgreementFacts(title="Terms", url="/ag/1/", in_force=True, has_aims_clause=True)
OUTCOME = IndicatorFacts(name="Admissions", url="/i/1/", kind="outcome", variation="common_cause")


def healthy(**changes: Any) -> PartnershipSnapshot:
    """A partnership that raises no flag at all; each test changes one thing."""
    base = PartnershipSnapshot(
        slug="mh",
        name="Mental health",
        url="/p/mh/",
        today=TODAY,
        members=(A, B, C),
        agreements=(IN_FORCE,),
        indicators=(OUTCOME,),
        feedback_dates=(D(2026, 11, 2),),
        pages={"meetings": "/p/mh/meetings/", "actions": "/p/mh/actions/", "indicators": "/p/mh/indicators/",
               "agreements": "/p/mh/agreements/", "feedback": "/p/mh/feedback/", "timeline": "/p/mh/#timeline",
               "place": "/place/"},
    )  # fmt: skip
    return dataclasses.replace(base, **changes)


def codes(snapshot: PartnershipSnapshot, **overrides: float) -> list[str]:
    return [f.code for f in evaluate(snapshot, load_settings(overrides=overrides or None))]


def only(snapshot: PartnershipSnapshot, code: str, **overrides: float) -> Any:
    flags = evaluate(snapshot, load_settings(overrides=overrides or None))
    assert [f.code for f in flags] == [code]
    return flags[0]


def test_the_healthy_snapshot_raises_nothing() -> None:
    assert codes(healthy()) == []


def test_every_rule_has_texts_and_every_text_a_rule() -> None:
    settings = load_settings()
    assert set(RULES) == set(settings.texts)
    assert len(RULES) == 17


# ---- agreements ----------------------------------------------------------------------------------------


def test_no_shared_outcomes() -> None:
    flag = only(
        healthy(agreements=(dataclasses.replace(IN_FORCE, has_aims_clause=False),)), "no_shared_outcomes"
    )
    assert flag.title == "No shared outcomes: no aims-and-outcomes clause in force"
    assert flag.evidence == {"aims_clauses_in_force": 0, "outcome_indicators": 1}
    assert flag.url == "/p/mh/agreements/" and flag.severity == "warning"
    process = dataclasses.replace(OUTCOME, kind="process")
    flag = only(healthy(indicators=(process,)), "no_shared_outcomes")
    assert flag.title == "No shared outcomes: no outcome indicator is measured"
    assert flag.url == "/p/mh/indicators/"
    draft = dataclasses.replace(IN_FORCE, in_force=False)  # an aims clause only in a draft is not shared
    assert "no_shared_outcomes" in codes(healthy(agreements=(draft,)))


def test_review_overdue() -> None:
    assert codes(healthy(agreements=(dataclasses.replace(IN_FORCE, review_due=TODAY),))) == []
    late = dataclasses.replace(IN_FORCE, review_due=D(2026, 11, 7))
    flag = only(healthy(agreements=(late,)), "review_overdue")
    assert flag.title == "1 agreement(s) overdue for review"
    assert flag.evidence == {
        "agreements": [{"title": "Terms", "url": "/ag/1/", "review_due": "2026-11-07", "days_overdue": 30}]
    }


def test_not_signed_by_all_counts_current_members_only() -> None:
    former = dataclasses.replace(IN_FORCE, unsigned=("zz",))  # no longer a member
    assert codes(healthy(agreements=(former,))) == []
    flag = only(
        healthy(agreements=(dataclasses.replace(IN_FORCE, unsigned=("b", "zz")),)), "not_signed_by_all"
    )
    assert flag.title == "Not signed by every partner: 1 member(s) have not signed the version in force"
    assert flag.evidence["unsigned"] == [{"title": "Terms", "url": "/ag/1/", "members": ["Org B"]}]


def test_not_signed_by_all_a_proposal_waiting_too_long() -> None:
    waiting = AgreementFacts(
        title="Terms v2", url="/ag/2/", in_force=False, proposal_waiting_since=D(2026, 11, 7)
    )
    assert codes(healthy(agreements=(IN_FORCE, waiting))) == []  # 30 days is not more than 30
    flag = only(healthy(agreements=(IN_FORCE, waiting)), "not_signed_by_all", proposal_wait_days=29)
    assert flag.title == "Not signed by every partner: 1 proposal(s) waiting more than 29 days"
    assert flag.evidence["waiting"] == [
        {"title": "Terms v2", "url": "/ag/2/", "since": "2026-11-07", "days": 30}
    ]
    assert flag.url == "/ag/2/"


def test_contract_like() -> None:
    reading = dataclasses.replace(IN_FORCE, contract_like=True, criteria_not_met=("no_fixed_end", "equality"))
    flag = only(healthy(agreements=(reading,)), "contract_like")
    assert flag.title == "The agreement reads as contract-like (2 criteria not met)"
    assert flag.evidence["agreements"][0]["criteria_not_met"] == ["no_fixed_end", "equality"]
    assert flag.severity == "info"
    superseded = dataclasses.replace(reading, in_force=False, has_aims_clause=False)
    assert codes(healthy(agreements=(IN_FORCE, superseded))) == []


def test_power_imbalance_needs_a_big_share_and_a_fixed_chair_or_casting_vote() -> None:
    money = {"a": 61.0, "b": 20.0, "c": 19.0}
    plain = dataclasses.replace(IN_FORCE, contributions=money)
    assert codes(healthy(agreements=(plain,))) == []  # no fixed chair, no casting vote
    even = dataclasses.replace(plain, contributions={"a": 60.0, "b": 20.0, "c": 20.0}, casting_vote=True)
    assert codes(healthy(agreements=(even,))) == []  # 60 % is not more than 60 %
    chaired = dataclasses.replace(plain, fixed_chair=True, casting_vote=True)
    flag = only(healthy(agreements=(chaired,)), "power_imbalance")
    assert flag.title == (
        "Power may be unequal: Org A puts in 61% of the contributions, with a fixed chair and a casting vote"
    )
    assert flag.evidence["contributions"]["share"] == 0.61


def test_power_imbalance_from_an_equality_and_power_gap() -> None:
    gap = PerceptionGap("power", "Equality and power", "NHS", "Voluntary sector", 0.9, True, "/w/3/")
    other = dataclasses.replace(gap, dimension="trust", title="Trust")
    assert codes(healthy(gaps=(other,))) == ["perception_gap"]
    assert codes(healthy(gaps=(dataclasses.replace(gap, to_discuss=False),))) == []
    flags = evaluate(healthy(gaps=(gap,)), load_settings())
    assert [f.code for f in flags] == ["power_imbalance", "perception_gap"]  # warning before info
    assert (
        flags[0].title == "Power may be unequal: NHS and Voluntary sector see equality and power differently"
    )
    assert flags[1].title == "1 gap(s) in how groups see the partnership"
    assert flags[0].url == "/w/3/"


def test_low_trust_on_its_own_scale() -> None:
    ok = TrustReading("assessment", "Spring", "/w/1/", score=2.6, low=1, high=5)  # (2.6-1)/4 = 0.4
    assert codes(healthy(trust=(ok,))) == []
    low = dataclasses.replace(ok, score=2.5)
    flag = only(healthy(trust=(low,)), "low_trust")
    assert flag.title == "Trust is low"
    assert flag.evidence["readings"][0]["scale"] == [1, 5]
    older_low = dataclasses.replace(low, wave="Autumn")  # only the latest reading of a source counts
    assert codes(healthy(trust=(ok, older_low))) == []


def test_low_trust_falling_beyond_its_interval() -> None:
    within = TrustReading("network", "2026", "/n/1/", score=3.5, low=1, high=4, change=-0.3,
                          change_interval=(-0.6, 0.0))  # fmt: skip
    assert codes(healthy(trust=(within,))) == []
    falling = dataclasses.replace(within, change_interval=(-0.6, -0.01))
    assert only(healthy(trust=(falling,)), "low_trust").title == "Trust is falling"
    both = dataclasses.replace(falling, score=1.5)
    flag = only(healthy(trust=(both,)), "low_trust")
    assert flag.title == "Trust is low and falling" and len(flag.evidence["readings"]) == 1


# ---- relationships and meetings ------------------------------------------------------------------------


def test_peripheral_member() -> None:
    central = NetworkPosition("a", isolated=False, peripheral=False, url="/n/1/")
    assert codes(healthy(network=(central,))) == []
    edge = NetworkPosition("c", isolated=True, peripheral=False, url="/n/1/")
    flag = only(healthy(network=(central, edge)), "peripheral_member")
    assert flag.evidence == {"members": [{"title": "Org C", "url": "/n/1/", "position": "isolated"}]}


def meetings(*present: str) -> tuple[MeetingFacts, ...]:
    """One meeting a month up to November 2026; `present[i]` lists who came to the i-th (oldest first)."""
    return tuple(
        MeetingFacts(date=D(2026, 11 - len(present) + 1 + i, 5), url=f"/m/{i}/", present=frozenset(who))
        for i, who in enumerate(present)
    )


def test_fading_attendance_counts_the_last_meetings_held() -> None:
    assert codes(healthy(meetings=meetings("ab", "ab", "abc", "abc", "ab"))) == []  # c: 2 of the last 4
    flag = only(healthy(meetings=meetings("abc", "abc", "ab", "ab", "ab")), "fading_attendance")
    assert flag.evidence["members"] == [{"title": "Org C", "url": "/o/c/", "absent": 3, "of": 4}]
    assert flag.evidence["meetings"] == ["/m/1/", "/m/2/", "/m/3/", "/m/4/"]
    assert flag.url == "/p/mh/meetings/"
    cancelled = dataclasses.replace(meetings("ab")[0], held=False, date=D(2026, 11, 30))
    assert codes(healthy(meetings=(*meetings("abc", "abc", "abc", "ab", "ab"), cancelled))) == []
    assert codes(healthy(meetings=meetings("ab", "ab", "ab"))) == []  # fewer than 4 held: too soon to say


def test_inquorate_decision_in_the_last_twelve_months() -> None:
    old = DecisionFacts(D(2025, 12, 6), "Old", "/d/1/", quorate=False)
    assert codes(healthy(decisions=(old, DecisionFacts(D(2026, 6, 1), "Fine", "/d/2/", True)))) == []
    edge = dataclasses.replace(old, date=D(2025, 12, 7))
    flag = only(healthy(decisions=(edge,)), "inquorate_decision")
    assert flag.severity == "critical" and flag.url == "/d/1/"
    assert flag.evidence == {"decisions": [{"title": "Old", "url": "/d/1/", "date": "2025-12-07"}]}


def test_overdue_actions_by_owner() -> None:
    due_today = ActionFacts("Plan", "Org A", "/x/1/", due=TODAY)
    done_late = ActionFacts("Done", "Org A", "/x/2/", due=D(2026, 1, 1), done=True)
    undated = ActionFacts("Someday", "Org B", "/x/3/")
    assert codes(healthy(actions=(due_today, done_late, undated))) == []
    late = (ActionFacts("Write", "Org B", "/x/4/", due=D(2026, 12, 1)), ActionFacts("Ask", "Org A", "/x/5/",
            due=D(2026, 12, 6)), ActionFacts("Send", "Org B", "/x/6/", due=D(2026, 11, 1)))  # fmt: skip
    flag = only(healthy(actions=(due_today, *late)), "overdue_actions")
    assert flag.title == "3 action(s) past their due date"
    assert flag.evidence["by_owner"] == {
        "Org A": [{"title": "Ask", "url": "/x/5/", "due": "2026-12-06", "days_overdue": 1}],
        "Org B": [
            {"title": "Send", "url": "/x/6/", "due": "2026-11-01", "days_overdue": 36},
            {"title": "Write", "url": "/x/4/", "due": "2026-12-01", "days_overdue": 6},
        ],
    }


# ---- indicators, change, voice, disputes, place ---------------------------------------------------------


def test_measurement_burden() -> None:
    many = tuple(dataclasses.replace(OUTCOME, name=f"I{n}") for n in range(18))  # 6 per partner
    assert codes(healthy(indicators=many)) == []
    flag = only(healthy(indicators=(*many, OUTCOME)), "measurement_burden")
    assert flag.title == "Measurement may be a burden: 6.3 indicators per partner"
    stale = dataclasses.replace(OUTCOME, name="Stale", periods_without_data=2)
    assert codes(healthy(indicators=(OUTCOME, dataclasses.replace(stale, periods_without_data=1)))) == []
    flag = only(healthy(indicators=(OUTCOME, stale)), "measurement_burden")
    assert flag.title == "Measurement may be a burden: 1 indicator(s) without data for 2 periods or more"
    assert flag.evidence == {"without_data": [{"title": "Stale", "url": "/i/1/", "periods": 2}]}


def test_outcome_concern() -> None:
    fine = (dataclasses.replace(OUTCOME, variation="special_cause_improvement", assurance="inconsistent"),)
    assert codes(healthy(indicators=fine)) == []
    failing = dataclasses.replace(OUTCOME, name="Falls", url="/i/2/", assurance="consistent_fail")
    drifting = dataclasses.replace(OUTCOME, name="Waits", url="/i/3/", variation="special_cause_concern")
    flag = only(healthy(indicators=(OUTCOME, failing, drifting)), "outcome_concern")
    assert flag.title == "2 indicator(s) showing concern" and flag.url == "/i/2/"
    assert [r["title"] for r in flag.evidence["indicators"]] == ["Falls", "Waits"]


def test_pace_of_change() -> None:
    two = (
        ChangeEvent(D(2026, 1, 1), "reorganisation", "Merger"),
        ChangeEvent(D(2026, 5, 1), "leader_change", "New CEO"),
    )
    old = ChangeEvent(D(2025, 12, 6), "reorganisation", "Old")
    other = ChangeEvent(D(2026, 6, 1), "other", "Office move")
    assert codes(healthy(changes=(*two, old, other))) == []
    flag = only(healthy(changes=(*two, dataclasses.replace(old, date=D(2025, 12, 7)))), "pace_of_change")
    assert flag.title == "A lot of change: 3 reorganisations or leader changes in 12 months"
    assert codes(healthy(representatives=6, representative_changes=2)) == []
    flag = only(healthy(representatives=6, representative_changes=3), "pace_of_change")
    assert flag.title == "A lot of change: 3 changes of representative for 6 seats"


def test_no_service_user_voice() -> None:
    assert codes(healthy(feedback_dates=(D(2026, 6, 7),))) == []  # six months ago to the day still counts
    flag = only(healthy(feedback_dates=(D(2026, 6, 6),)), "no_service_user_voice")
    assert flag.title == "No service-user voice: no expert-by-experience member and no feedback in 6 months"
    assert flag.evidence == {
        "expert_members": 0,
        "feedback_since": "2026-06-07",
        "last_feedback": "2026-06-06",
    }
    expert = Member("d", "Carers' Voice", expert_by_experience=True)
    assert codes(healthy(feedback_dates=(), members=(A, B, expert))) == []


def test_dispute_unresolved() -> None:
    recent = DisputeFacts("Budget", "/dp/1/", raised=D(2026, 9, 8), status="open")  # 90 days
    resolved = DisputeFacts("Venue", "/dp/2/", raised=D(2020, 1, 1), status="resolved")
    assert codes(healthy(disputes=(recent, resolved))) == []
    long_open = dataclasses.replace(recent, raised=D(2026, 9, 7), status="resolving")
    escalated = DisputeFacts("Data", "/dp/3/", raised=D(2026, 12, 1), status="escalated")
    flag = only(healthy(disputes=(long_open, escalated, resolved)), "dispute_unresolved")
    assert flag.title == "2 dispute(s) unresolved"
    assert [(r["title"], r["days_open"]) for r in flag.evidence["disputes"]] == [("Budget", 91), ("Data", 6)]


def test_overload() -> None:
    four = Overload("Sam Patel", "person", ("p1", "p2", "p3", "p4"))
    assert codes(healthy(overload=(four,))) == []
    five = dataclasses.replace(four, partnerships=("p1", "p2", "p3", "p4", "p5"))
    flag = only(healthy(overload=(four, five)), "overload")
    assert flag.title == "1 people or organisations in more than 4 partnerships of this place"
    assert flag.url == "/place/"


# ---- ranking and settings ------------------------------------------------------------------------------


def test_flags_rank_by_severity_then_code_and_serialise() -> None:
    snapshot = healthy(
        decisions=(DecisionFacts(D(2026, 6, 1), "X", "/d/", quorate=False),),
        actions=(ActionFacts("Y", "Org A", "/a/", due=D(2026, 1, 1)),),
        overload=(Overload("Z", "organisation", tuple("123456")),),
        agreements=(dataclasses.replace(IN_FORCE, review_due=D(2026, 1, 1)),),
    )
    flags = evaluate(snapshot)
    assert [(f.severity, f.code) for f in flags] == [
        ("critical", "inquorate_decision"),
        ("warning", "overdue_actions"),
        ("warning", "review_overdue"),
        ("info", "overload"),
    ]
    assert set(flags[0].as_dict()) == {"code", "severity", "title", "evidence", "source", "action", "url"}


def test_a_partnership_tunes_thresholds() -> None:
    snapshot = healthy(actions=(), disputes=(DisputeFacts("Budget", "/dp/", D(2026, 11, 1), "open"),))
    assert codes(snapshot) == []
    assert codes(snapshot, dispute_days=30) == ["dispute_unresolved"]
    assert load_settings(overrides={"dispute_days": 30})["dispute_days"] == 30
    assert load_settings()["dispute_days"] == 90


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"dispute_dayz": 30}, "thresholds.dispute_dayz: there is no such threshold"),
        ({"dispute_days": 0}, "thresholds.dispute_days: 0 is less than the minimum of 1"),
        ({"contribution_share": 1.5}, "thresholds.contribution_share: 1.5 is greater than the maximum of 1"),
        ({"fading_window": 2.5}, "thresholds.fading_window: 2.5 is not of type 'integer'"),
    ],
)
def test_bad_overrides_are_refused_by_path(overrides: dict[str, float], problem: str) -> None:
    with pytest.raises(FlagSettingsError) as caught:
        load_settings(overrides=overrides)
    assert caught.value.problems == [problem]


def shipped() -> str:
    return SETTINGS_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("version: 1", "version: 0"), "version: 0 is less than the minimum of 1"),
        (
            ("severity: critical", "severity: urgent"),
            "rules.inquorate_decision.severity: 'urgent' is not one of",
        ),
        (
            ("  dispute_days: 90 ", "  dispute_days: soon "),
            "thresholds.dispute_days: 'soon' is not of type 'integer'",
        ),
        (
            ('"{count} dispute(s) unresolved"', '"{number} disputes"'),
            "rules.dispute_unresolved.title: {number}",
        ),
        (("format: joinedup-flags", "format: other"), "format: 'joinedup-flags' was expected"),
        (("rules:", "rules: &x"), "anchors and aliases"),
    ],
)
def test_bad_settings_files_are_refused_with_where(change: tuple[str, str], problem: str) -> None:
    text = shipped()
    assert change[0] in text
    with pytest.raises(FlagSettingsError) as caught:
        parse_settings(text.replace(change[0], change[1], 1))
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_the_shipped_file_names_a_version_and_a_source_for_every_rule() -> None:
    settings = parse_settings(shipped())
    assert settings.version >= 1
    assert all(text.source and text.action.endswith(".") for text in settings.texts.values())
