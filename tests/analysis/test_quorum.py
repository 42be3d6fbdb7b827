"""The quorum rule: hand-worked cases, then the pure reading against a separately written reference."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.analysis.quorum import Attendance, Constituency, Member, Rule, needed_for_share, quorum
from tests.analysis.quorum_reference import reference_quorum

NHS = Constituency("nhs", "NHS", 1)
LA = Constituency("local_authority", "local authority", 1)
BOARD = [
    Member("trust", "nhs"),
    Member("icb", "nhs"),
    Member("council", "local_authority"),
    Member("mind", "voluntary"),
    Member("pcn", "nhs"),
    Member("homes", "housing"),
    Member("police", "police_justice"),
]


def seen(**statuses: str) -> list[Attendance]:
    return [Attendance(key, status) for key, status in statuses.items()]


def test_four_of_seven_meets_a_count_of_four_and_half_of_seven():
    rule = Rule(min_count=4, min_share_percent=50, constituencies=(NHS, LA))
    result = quorum(
        rule=rule,
        members=BOARD,
        attendance=seen(trust="present", council="present_online", mind="substitute", homes="present"),
    )
    assert result.quorate
    assert result.counted == ("trust", "council", "mind", "homes")
    assert result.reasons == [
        "4 of 7 voting members were there and the rule asks for at least 4",
        "4 of 7 voting members were there and the rule asks for at least 50% of them (4)",
        "1 NHS voting member there and the rule asks for at least 1",
        "1 local authority voting member there and the rule asks for at least 1",
    ]


def test_half_of_seven_needs_four_not_three_and_a_half():
    assert needed_for_share(50, 7) == 4
    assert needed_for_share(50, 8) == 4
    assert needed_for_share(67, 3) == 3  # 2 of 3 is 66.7%, short of 67%
    assert needed_for_share(66, 3) == 2
    assert needed_for_share(0, 5) == 0
    assert needed_for_share(100, 5) == 5
    three = seen(trust="present", icb="present", council="present")
    assert not quorum(rule=Rule(min_share_percent=50), members=BOARD, attendance=three).quorate


def test_in_attendance_apologies_and_absence_never_count():
    rows = seen(trust="in_attendance", icb="apologies", council="absent", mind="present")
    result = quorum(rule=Rule(min_count=2), members=BOARD, attendance=rows)
    assert not result.quorate
    assert result.counted == ("mind",)
    assert result.reasons == ["1 of 7 voting members were there and the rule asks for at least 2"]


def test_a_substitute_counts_for_the_member_they_stand_in_for_and_only_once():
    rows = [
        Attendance("council", "substitute"),
        Attendance("council", "present"),
        Attendance("council", "present"),
    ]
    result = quorum(rule=Rule(min_count=1, constituencies=(LA,)), members=BOARD, attendance=rows)
    assert result.quorate and result.counted == ("council",)
    # two people for one member still count as one member
    assert not quorum(rule=Rule(min_count=2), members=BOARD, attendance=rows).quorate


def test_present_online_counts():
    rows = seen(trust="present_online", council="present_online")
    assert quorum(rule=Rule(min_count=2, constituencies=(NHS, LA)), members=BOARD, attendance=rows).quorate


def test_a_missing_constituency_makes_it_inquorate_whatever_the_count():
    rows = seen(trust="present", icb="present", pcn="present", mind="present", homes="present")
    result = quorum(rule=Rule(min_count=4, constituencies=(NHS, LA)), members=BOARD, attendance=rows)
    assert not result.quorate
    assert [c.met for c in result.checks] == [True, True, False]
    assert result.reasons[2] == "0 local authority voting members there and the rule asks for at least 1"
    assert result.summary.startswith("Not quorate: 5 of 7 voting members were there")


def test_a_constituency_can_ask_for_more_than_one():
    two_nhs = Rule(constituencies=(Constituency("nhs", "NHS", 2),))
    assert not quorum(rule=two_nhs, members=BOARD, attendance=seen(trust="present")).quorate
    assert quorum(rule=two_nhs, members=BOARD, attendance=seen(trust="present", pcn="substitute")).quorate


def test_someone_for_an_organisation_that_does_not_vote_does_not_count():
    rows = [Attendance("healthwatch", "present"), Attendance("trust", "present")]
    result = quorum(rule=Rule(min_count=2), members=BOARD, attendance=rows)
    assert not result.quorate and result.counted == ("trust",)


def test_no_voting_members_meets_no_share_and_an_empty_rule_is_met():
    assert not quorum(rule=Rule(min_share_percent=10), members=[], attendance=[]).quorate
    empty = quorum(rule=Rule(), members=BOARD, attendance=seen(trust="present"))
    assert empty.quorate and empty.reasons == [
        "1 of 7 voting members were there and the rule asks for nothing more"
    ]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (Rule(min_count=-1), "The minimum number of voting members cannot be negative."),
        (
            Rule(min_share_percent=101),
            "The minimum share of voting members must be between 0 and 100 per cent.",
        ),
        (Rule(constituencies=(Constituency("nhs", "NHS", 0),)), "The minimum for NHS must be at least 1."),
        (Rule(constituencies=(NHS, NHS)), "Name each constituency once."),
    ],
)
def test_a_broken_rule_is_refused_with_its_problem(rule, problem):
    assert rule.problems() == [problem]
    with pytest.raises(ValueError) as error:
        quorum(rule=rule, members=BOARD, attendance=[])
    assert str(error.value) == problem


def test_every_problem_of_a_rule_is_named_at_once():
    rule = Rule(min_count=-1, min_share_percent=101)
    with pytest.raises(ValueError) as error:
        quorum(rule=rule, members=BOARD, attendance=[])
    assert str(error.value) == (
        "The minimum number of voting members cannot be negative. "
        "The minimum share of voting members must be between 0 and 100 per cent."
    )


def test_a_member_listed_twice_is_refused():
    with pytest.raises(ValueError) as error:
        quorum(rule=Rule(), members=[Member("a", "nhs"), Member("a", "nhs")], attendance=[])
    assert str(error.value) == "Each voting member must be listed once."


def test_a_share_of_no_voting_members_says_why():
    result = quorum(rule=Rule(min_share_percent=0), members=[], attendance=[])
    assert not result.quorate
    assert result.reasons == ["there are no voting members, so no share of them can be there"]
    some = quorum(rule=Rule(min_share_percent=0), members=BOARD, attendance=[])
    assert some.quorate and some.reasons == [
        "0 of 7 voting members were there and the rule asks for at least 0% of them (0)"
    ]


STATUSES = ["present", "present_online", "substitute", "in_attendance", "apologies", "absent"]
SECTORS = ["nhs", "local_authority", "voluntary"]


@st.composite
def cases(draw):
    n = draw(st.integers(0, 9))
    members = [(f"m{i}", draw(st.sampled_from(SECTORS))) for i in range(n)]
    keys = [k for k, _ in members] + ["guest"]
    rows = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(STATUSES)), max_size=14))
    constituencies = draw(
        st.lists(st.tuples(st.sampled_from(SECTORS), st.integers(1, 3)), max_size=3, unique_by=lambda c: c[0])
    )
    rule = {
        "min_count": draw(st.none() | st.integers(0, 10)),
        "share": draw(st.none() | st.integers(0, 100)),
        "constituencies": constituencies,
    }
    return rule, members, rows


@settings(max_examples=400, deadline=None)
@given(cases())
def test_agrees_with_the_reference(case):
    rule, members, rows = case
    result = quorum(
        rule=Rule(
            min_count=rule["min_count"],
            min_share_percent=rule["share"],
            constituencies=tuple(Constituency(k, k, m) for k, m in rule["constituencies"]),
        ),
        members=[Member(k, c) for k, c in members],
        attendance=[Attendance(k, s) for k, s in rows],
    )
    want = reference_quorum(rule, members, rows)
    assert result.quorate == want["quorate"]
    assert list(result.counted) == want["counted"]
    assert result.voting == len(members)
