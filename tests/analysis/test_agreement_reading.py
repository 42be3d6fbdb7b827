"""The "contract or partnership?" reading on hand-built agreements: every criterion, every verdict."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from joinedup.analysis.agreement_reading import (
    CRAWFORD_PECK,
    TENNYSON,
    ContributionInput,
    ReadingInput,
    read_agreement,
    vote_weights,
)

PARTNERSHIP = ReadingInput(
    term="open_ended",
    review_interval_months=12,
    decision_rule="consensus",
    chairing="rotating",
    risk_share="proportional",
    clause_kinds=frozenset({"aims", "new_joint_work"}),
    partners=("a", "b", "c"),
    names={"a": "Trust", "b": "Council", "c": "Charity"},
)


def status(x: ReadingInput, key: str) -> str:
    return read_agreement(x).criterion(key).status


@pytest.mark.parametrize(
    ("change", "expected"),
    [({"term": "open_ended"}, "met"), ({"term": "fixed_end"}, "not_met"), ({"term": ""}, "unknown")],
)
def test_no_fixed_end(change, expected):
    assert status(replace(PARTNERSHIP, **change), "no_fixed_end") == expected


def test_new_joint_work_needs_its_clause():
    assert status(PARTNERSHIP, "new_joint_work") == "met"
    assert status(replace(PARTNERSHIP, clause_kinds=frozenset({"aims"})), "new_joint_work") == "not_met"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"decision_rule": "consensus"}, "met"),
        ({"decision_rule": "lead_partner_decides"}, "not_met"),
        ({"decision_rule": ""}, "unknown"),
        ({"decision_rule": "one_partner_one_vote"}, "met"),
        ({"decision_rule": "one_partner_one_vote", "partners": ("a",)}, "not_met"),
        ({"decision_rule": "one_partner_one_vote", "partners": ()}, "unknown"),
        ({"chairing": "fixed_partner"}, "not_met"),
        ({"chairing": "jointly_chosen"}, "met"),
        ({"chairing": ""}, "unknown"),
        ({"chairing": "", "decision_rule": "lead_partner_decides"}, "not_met"),  # not met beats unknown
    ],
)
def test_equality(change, expected):
    assert status(replace(PARTNERSHIP, **change), "equality") == expected


def money(*amounts: tuple[str, float | None]) -> tuple[ContributionInput, ...]:
    return tuple(ContributionInput(partner=p, kind="money", amount=a) for p, a in amounts)


def test_equality_under_weighted_votes_comes_from_money_contributions():
    weighted = replace(PARTNERSHIP, decision_rule="weighted_by_contribution")
    # 6.4m of 12m = 53%: the trust holds a majority
    majority = replace(weighted, contributions=money(("a", 6_400_000), ("b", 4_000_000), ("c", 1_600_000)))
    reading = read_agreement(majority).criterion("equality")
    assert reading.status == "not_met" and "Trust holds 53%" in reading.reason
    assert reading.source == CRAWFORD_PECK
    # exactly half is not a majority
    half = replace(weighted, contributions=money(("a", 50), ("b", 30), ("c", 20)))
    assert status(half, "equality") == "met"
    # staff time does not count as vote weight; a missing amount makes it unknown
    staff_only = replace(weighted, contributions=(ContributionInput("a", "staff", Decimal(10)),))
    assert status(staff_only, "equality") == "unknown"
    assert status(replace(weighted, contributions=money(("a", 10), ("b", None))), "equality") == "unknown"


def test_vote_weights_against_a_hand_calculation():
    x = replace(
        PARTNERSHIP,
        contributions=(*money(("a", 300), ("b", 100), ("a", 100)), ContributionInput("c", "premises", None)),
    )
    assert vote_weights(x) == {"a": 0.8, "b": 0.2, "c": 0.0}


@pytest.mark.parametrize(
    ("risk_share", "expected"),
    [("each_own", "not_met"), ("proportional", "met"), ("fixed_shares", "met"), ("", "unknown")],
)
def test_risks_shared(risk_share, expected):
    criterion = read_agreement(replace(PARTNERSHIP, risk_share=risk_share)).criterion("risks_shared")
    assert criterion.status == expected and criterion.source == TENNYSON


@pytest.mark.parametrize(
    ("months", "expected"), [(12, "met"), (24, "met"), (25, "not_met"), (None, "unknown")]
)
def test_regular_review(months, expected):
    assert status(replace(PARTNERSHIP, review_interval_months=months), "regular_review") == expected


def test_verdict_partnership_when_all_five_are_met():
    reading = read_agreement(PARTNERSHIP)
    assert reading.verdict == "partnership" and reading.count("met") == 5
    assert all(c.reason and c.source for c in reading.criteria)


def test_verdict_partly():
    one_missing = replace(PARTNERSHIP, review_interval_months=36)
    assert read_agreement(one_missing).verdict == "partly"
    two_missing = replace(PARTNERSHIP, review_interval_months=36, risk_share="each_own")
    assert read_agreement(two_missing).verdict == "partly"
    unknowns = ReadingInput(clause_kinds=frozenset({"new_joint_work"}))  # nothing else stated
    assert read_agreement(unknowns).verdict == "partly"


def test_verdict_contract_like():
    three_missing = replace(
        PARTNERSHIP, review_interval_months=36, risk_share="each_own", clause_kinds=frozenset()
    )
    assert read_agreement(three_missing).verdict == "contract_like"
    # a fixed term and inequality alone make it contract-like even with everything else met
    fixed_and_unequal = replace(PARTNERSHIP, term="fixed_end", chairing="fixed_partner")
    reading = read_agreement(fixed_and_unequal)
    assert reading.count("met") == 3 and reading.verdict == "contract_like"
    assert reading.verdict_label == "Contract-like"


def test_weighted_votes_when_nobody_contributes_money():
    # All £0: there is no weight to share out (and no division by zero); the reading says why.
    weighted = replace(PARTNERSHIP, decision_rule="weighted_by_contribution")
    nothing = replace(weighted, contributions=money(("a", 0), ("b", Decimal("0.00"))))
    assert vote_weights(nothing) is None
    criterion = read_agreement(nothing).criterion("equality")
    assert criterion.status == "unknown"
    assert criterion.reason.startswith(
        "Votes are weighted by contribution, but no partner contributes any money"
    )
    missing = read_agreement(replace(weighted, contributions=money(("a", 10), ("b", None))))
    assert "the money contributions are not all known" in missing.criterion("equality").reason


def test_a_zero_contribution_carries_no_vote():
    # £100, £0 and £0: the trust holds every vote, not 100/102 of it.
    x = replace(
        PARTNERSHIP,
        decision_rule="weighted_by_contribution",
        contributions=money(("a", Decimal(100)), ("b", Decimal(0)), ("c", 0)),
    )
    assert vote_weights(x) == {"a": 1.0, "b": 0.0, "c": 0.0}
    reason = read_agreement(x).criterion("equality").reason
    assert "Trust holds 100% of the vote" in reason
    # However small the sums: £1 against nothing is still all of the money.
    pound = replace(x, contributions=money(("a", 1), ("b", 0)))
    assert vote_weights(pound) == {"a": 1.0, "b": 0.0, "c": 0.0}


def test_weighted_votes_met_names_the_largest_share():
    x = replace(
        PARTNERSHIP,
        decision_rule="weighted_by_contribution",
        contributions=money(("a", 40), ("b", 35), ("c", 25)),
    )
    criterion = read_agreement(x).criterion("equality")
    assert criterion.status == "met"
    assert criterion.reason == (
        "Votes are weighted by contribution and the largest share is Trust's 40%; "
        "the chair rotates between partners."
    )


def test_a_contribution_from_someone_not_listed_as_a_partner_still_counts():
    x = replace(PARTNERSHIP, partners=("a", "b"), contributions=money(("a", 30), ("z", 10)))
    assert vote_weights(x) == {"a": 0.75, "b": 0.0, "z": 0.25}


def test_reasons_read_as_sentences():
    reading = read_agreement(PARTNERSHIP)
    assert reading.criterion("equality").reason == (
        "Decisions are by consensus, so no partner can outvote the others; the chair rotates between partners."
    )
    assert reading.criterion("regular_review").reason == "Reviewed every 12 months."
    late = read_agreement(replace(PARTNERSHIP, review_interval_months=36)).criterion("regular_review")
    assert late.reason == "Reviewed only every 36 months (more than 24)."
    assert reading.verdict_label == "Partnership" and reading.criterion("equality").status_label == "Met"


def test_fixed_end_alone_or_inequality_alone_is_only_partly():
    assert read_agreement(replace(PARTNERSHIP, term="fixed_end")).verdict == "partly"
    assert read_agreement(replace(PARTNERSHIP, chairing="fixed_partner")).verdict == "partly"


# What a reader of the agreement page sees for each criterion: the title, and the reason in words.
WORDING = [
    ("no_fixed_end", {}, "No fixed end date", "The agreement is open-ended."),
    ("no_fixed_end", {"term": "fixed_end"}, "No fixed end date", "The agreement ends on a fixed date."),
    ("no_fixed_end", {"term": ""}, "No fixed end date", "The agreement does not say how long it runs."),
    (
        "new_joint_work",
        {},
        "Provision for new joint work nobody anticipated",
        "A clause provides for new joint work as it arises.",
    ),
    (
        "new_joint_work",
        {"clause_kinds": frozenset()},
        "Provision for new joint work nobody anticipated",
        "No clause provides for new joint work as it arises.",
    ),
    (
        "equality",
        {"decision_rule": "lead_partner_decides", "chairing": "fixed_partner"},
        "Equality between partners",
        "The lead partner decides; the chair is always the same partner.",
    ),
    (
        "equality",
        {"decision_rule": "one_partner_one_vote", "chairing": "jointly_chosen"},
        "Equality between partners",
        "One partner one vote among 3 partners, so none holds a majority; the partners choose the chair jointly.",
    ),
    (
        "equality",
        {"decision_rule": "one_partner_one_vote", "partners": ("a",), "chairing": ""},
        "Equality between partners",
        "One partner one vote, but there is only one partner, which holds every vote; "
        "the agreement does not say who chairs.",
    ),
    (
        "equality",
        {"decision_rule": "one_partner_one_vote", "partners": ()},
        "Equality between partners",
        "One partner one vote, but the partners are not known; the chair rotates between partners.",
    ),
    (
        "equality",
        {"decision_rule": ""},
        "Equality between partners",
        "The agreement does not say how decisions are made; the chair rotates between partners.",
    ),
    (
        "equality",
        {"decision_rule": "weighted_by_contribution", "contributions": money(("a", 6), ("b", 3), ("c", 1))},
        "Equality between partners",
        "Votes are weighted by contribution and Trust holds 60% of the vote; the chair rotates between partners.",
    ),
    (
        "equality",
        {"decision_rule": "weighted_by_contribution", "contributions": money(("a", 6), ("b", None))},
        "Equality between partners",
        "Votes are weighted by contribution, but the money contributions are not all known; "
        "the chair rotates between partners.",
    ),
    (
        "risks_shared",
        {"risk_share": "each_own"},
        "Risks and benefits shared",
        "Each partner bears its own risks.",
    ),
    ("risks_shared", {}, "Risks and benefits shared", "Risks are shared in proportion to contributions."),
    (
        "risks_shared",
        {"risk_share": "fixed_shares"},
        "Risks and benefits shared",
        "Risks are shared in fixed shares.",
    ),
    (
        "risks_shared",
        {"risk_share": ""},
        "Risks and benefits shared",
        "The agreement does not say how risks are shared.",
    ),
    ("regular_review", {}, "Regular review", "Reviewed every 12 months."),
    (
        "regular_review",
        {"review_interval_months": 36},
        "Regular review",
        "Reviewed only every 36 months (more than 24).",
    ),
    (
        "regular_review",
        {"review_interval_months": None},
        "Regular review",
        "The agreement sets no review interval.",
    ),
]


@pytest.mark.parametrize(("key", "change", "title", "reason"), WORDING)
def test_each_criterion_explains_itself(key, change, title, reason):
    criterion = read_agreement(replace(PARTNERSHIP, **change)).criterion(key)
    assert (criterion.key, criterion.title, criterion.reason) == (key, title, reason)
    assert criterion.source == (TENNYSON if key in {"risks_shared", "regular_review"} else CRAWFORD_PECK)


def test_the_verdict_rule_is_stated_with_the_reading():
    reading = read_agreement(replace(PARTNERSHIP, term="fixed_end", chairing="fixed_partner"))
    assert reading.rule == (
        "Partnership: all five criteria met. Contract-like: three or more not met, or both 'no fixed end' and "
        "'equality' not met. Partly: anything else, including criteria that could not be judged."
    )
    assert (reading.count("not_met"), reading.count("unknown")) == (2, 0)
    assert read_agreement(replace(PARTNERSHIP, term="")).verdict_label == "Partly a partnership"
    assert read_agreement(replace(PARTNERSHIP, term="")).criterion("no_fixed_end").status_label == "Unknown"


def test_a_partner_without_a_display_name_is_named_by_its_key():
    x = replace(
        PARTNERSHIP,
        decision_rule="weighted_by_contribution",
        contributions=money(("a", 7), ("b", 3)),
        names={"b": "Council"},
    )
    assert (
        read_agreement(x)
        .criterion("equality")
        .reason.startswith("Votes are weighted by contribution and a holds 70% of the vote;")
    )
