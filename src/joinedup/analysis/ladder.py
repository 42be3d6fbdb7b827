"""The integration ladder: how deep a partnership's joint working goes, derived from its records, with reasons.

The finer steps, from the literature on the depth of relationships between agencies: isolation (no joint
working), encounter (the partners meet, nothing agreed), communication (they agree to share information or
to talk: terms of reference, a memorandum, information sharing), collaboration (shared outcomes with joint
planning, or lead commissioning, or an alliance, but separate budgets), integration (a pooled fund or
integrated provision in force). The coarse positions group them: independence (isolation, encounter,
communication), interdependence (collaboration), integration.

Deeper is not better: the question beside the ladder is whether this depth fits the partnership's purpose
(cooperation is often enough). `position` says where the evidence puts a partnership and why; `journey`
turns dated evidence into the steps it moved through.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Step = Literal["isolation", "encounter", "communication", "collaboration", "integration"]
Coarse = Literal["independence", "interdependence", "integration"]

STEPS: tuple[Step, ...] = ("isolation", "encounter", "communication", "collaboration", "integration")
COARSE: dict[Step, Coarse] = {
    "isolation": "independence",
    "encounter": "independence",
    "communication": "independence",
    "collaboration": "interdependence",
    "integration": "integration",
}
STEP_MEANING: dict[Step, str] = {
    "isolation": "The partners do not work together yet.",
    "encounter": "The partners meet, but have agreed nothing in writing.",
    "communication": "The partners have agreed to talk and share information, and keep their own plans and money.",
    "collaboration": "The partners plan together towards shared outcomes, and keep their own budgets.",
    "integration": "The partners pool money or provide services as one.",
}
FIT_QUESTION = (
    "Is this depth of integration right for what the partnership is for? Deeper is not always better: "
    "working together well without pooling money is often enough."
)
INTEGRATING = frozenset({"pooled_fund", "integrated_provision"})
COLLABORATING = frozenset({"lead_commissioning", "alliance"})
COMMUNICATING = frozenset({"terms_of_reference", "memorandum", "information_sharing"})


@dataclass(frozen=True)
class Evidence:
    """What the records show on one day. `arrangements` are the kinds in force: agreement kinds
    (terms_of_reference, memorandum, alliance, information_sharing, section_75, other) and section 75
    arrangements (pooled_fund, lead_commissioning, integrated_provision)."""

    arrangements: frozenset[str] = frozenset()
    shared_outcomes: bool = False  # an aims-and-outcomes clause in force with an outcome indicator measured
    joint_planning: bool = False  # decisions taken together at the partnership's meetings in the last year
    meets: bool = False  # meetings held, or a survey answered, in the last year


@dataclass(frozen=True)
class Position:
    step: Step
    coarse: Coarse
    reasons: tuple[str, ...]
    meaning: str
    question: str = FIT_QUESTION


def _names(kinds: Iterable[str]) -> str:
    return ", ".join(sorted(k.replace("_", " ") for k in kinds))


def position(evidence: Evidence) -> Position:
    """The step the evidence supports, with every reason that supports it."""
    e = evidence
    reasons: list[str]
    if integrating := e.arrangements & INTEGRATING:
        step: Step = "integration"
        reasons = [f"in force: {_names(integrating)}"]
    elif (collaborating := e.arrangements & COLLABORATING) or (e.shared_outcomes and e.joint_planning):
        step = "collaboration"
        reasons = [f"in force: {_names(collaborating)}"] if collaborating else []
        if e.shared_outcomes and e.joint_planning:
            reasons.append("shared outcomes, planned together")
        reasons.append("no pooled fund or integrated provision")
    elif communicating := (e.arrangements & COMMUNICATING) or e.arrangements:  # any agreement at all talks
        step = "communication"
        reasons = [f"in force: {_names(communicating)}"]
        if e.shared_outcomes:
            reasons.append("shared outcomes, but no joint planning recorded")
        elif e.joint_planning:
            reasons.append("joint planning, but no shared outcomes measured")
    elif e.meets or e.joint_planning:
        step = "encounter"
        reasons = ["the partners meet", "no agreement in force"]
    else:
        step = "isolation"
        reasons = ["no agreement in force", "no meetings or surveys in the last year"]
    return Position(step=step, coarse=COARSE[step], reasons=tuple(reasons), meaning=STEP_MEANING[step])


@dataclass(frozen=True)
class Move:
    date: datetime.date
    position: Position
    direction: Literal["start", "deeper", "shallower"]


def journey(points: Iterable[tuple[datetime.date, Evidence]]) -> list[Move]:
    """The partnership's path up and down the ladder: the first position, then each change of step, in date
    order (evidence on the same day: the last one given counts)."""
    latest: dict[datetime.date, Evidence] = {}
    for day, evidence in points:
        latest[day] = evidence
    moves: list[Move] = []
    for day in sorted(latest):
        here = position(latest[day])
        if not moves:
            moves.append(Move(day, here, "start"))
        elif here.step != moves[-1].position.step:
            deeper = STEPS.index(here.step) > STEPS.index(moves[-1].position.step)
            moves.append(Move(day, here, "deeper" if deeper else "shallower"))
    return moves
