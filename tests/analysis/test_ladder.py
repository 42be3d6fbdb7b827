"""The integration ladder (analysis/ladder.py): the issue's own examples, each step's reasons, and journeys."""

from __future__ import annotations

import datetime

import pytest

from joinedup.analysis.ladder import COARSE, FIT_QUESTION, STEPS, Evidence, journey, position

D = datetime.date


def ev(*arrangements: str, outcomes: bool = False, planning: bool = False, meets: bool = False) -> Evidence:
    return Evidence(frozenset(arrangements), shared_outcomes=outcomes, joint_planning=planning, meets=meets)


@pytest.mark.parametrize(
    ("evidence", "coarse"),
    [
        (ev("section_75", "pooled_fund"), "integration"),  # a pooled fund in force
        (ev("section_75", "integrated_provision", meets=True), "integration"),
        (ev("terms_of_reference", outcomes=True, planning=True), "interdependence"),  # separate budgets
        (ev("information_sharing"), "independence"),  # information sharing only
    ],
)
def test_the_issues_examples(evidence: Evidence, coarse: str) -> None:
    assert position(evidence).coarse == coarse


@pytest.mark.parametrize(
    ("evidence", "step", "reasons"),
    [
        (ev(), "isolation", ("no agreement in force", "no meetings or surveys in the last year")),
        (ev(meets=True), "encounter", ("the partners meet", "no agreement in force")),
        (ev(planning=True), "encounter", ("the partners meet", "no agreement in force")),
        (ev("memorandum", "information_sharing"), "communication",
         ("in force: information sharing, memorandum",)),
        (ev("other"), "communication", ("in force: other",)),
        (ev("terms_of_reference", outcomes=True), "communication",
         ("in force: terms of reference", "shared outcomes, but no joint planning recorded")),
        (ev("terms_of_reference", planning=True), "communication",
         ("in force: terms of reference", "joint planning, but no shared outcomes measured")),
        (ev("alliance"), "collaboration", ("in force: alliance", "no pooled fund or integrated provision")),
        (ev("section_75", "lead_commissioning", outcomes=True, planning=True), "collaboration",
         ("in force: lead commissioning", "shared outcomes, planned together",
          "no pooled fund or integrated provision")),
        (ev(outcomes=True, planning=True, meets=True), "collaboration",
         ("shared outcomes, planned together", "no pooled fund or integrated provision")),
        (ev("pooled_fund", "integrated_provision", "alliance"), "integration",
         ("in force: integrated provision, pooled fund",)),
    ],
)  # fmt: skip
def test_each_step_and_its_reasons(evidence: Evidence, step: str, reasons: tuple[str, ...]) -> None:
    found = position(evidence)
    assert (found.step, found.reasons) == (step, reasons)
    assert found.coarse == COARSE[found.step] and found.question == FIT_QUESTION
    assert found.meaning.endswith(".")


def test_the_coarse_positions_group_the_steps_in_order() -> None:
    assert [COARSE[s] for s in STEPS] == [
        "independence", "independence", "independence", "interdependence", "integration",
    ]  # fmt: skip


def test_a_journey_keeps_the_start_and_each_change_of_step() -> None:
    moves = journey(
        [
            (D(2024, 4, 1), ev(meets=True)),
            (D(2024, 1, 1), ev()),
            (D(2024, 9, 1), ev("terms_of_reference", meets=True)),
            (D(2025, 1, 1), ev("terms_of_reference", meets=True, outcomes=True)),  # same step: no move
            (D(2025, 6, 1), ev("section_75", "pooled_fund")),
            (D(2026, 4, 1), ev("memorandum")),  # the pooled fund ended
            (D(2026, 4, 1), ev("section_75", "lead_commissioning")),  # same day: the last given counts
        ]
    )
    assert [(m.date, m.position.step, m.direction) for m in moves] == [
        (D(2024, 1, 1), "isolation", "start"),
        (D(2024, 4, 1), "encounter", "deeper"),
        (D(2024, 9, 1), "communication", "deeper"),
        (D(2025, 6, 1), "integration", "deeper"),
        (D(2026, 4, 1), "collaboration", "shallower"),
    ]
    assert journey([]) == []
