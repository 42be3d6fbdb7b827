"""The integration ladder of one partnership, from its snapshot and the dated evidence apps register
(core.registry.ladder_evidence: agreements' versions in force). Pure apart from the providers' reads."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.analysis.flag_snapshot import PartnershipSnapshot
from joinedup.analysis.ladder import STEP_MEANING, STEPS, Evidence, journey, position
from joinedup.core.registry import LadderSpan, ladder_evidence

YEAR = datetime.timedelta(days=365)


def _evidence_on(day: datetime.date, spans: list[LadderSpan], s: PartnershipSnapshot) -> Evidence:
    in_force = [x for x in spans if x.start <= day and (x.end is None or x.end > day)]
    outcomes = any(i.kind == "outcome" for i in s.indicators)
    return Evidence(
        arrangements=frozenset(x.arrangement for x in in_force),
        shared_outcomes=outcomes and any(x.aims for x in in_force),
        joint_planning=any(day - YEAR <= d.date <= day for d in s.decisions),
        meets=any(m.held and day - YEAR <= m.date <= day for m in s.meetings),
    )


def ladder_build(*, partnership: Any, snapshot: PartnershipSnapshot) -> dict[str, Any]:
    """Where the partnership stands and the journey there, as plain JSON for the health page."""
    spans = [span for source in ladder_evidence for span in source.spans(partnership=partnership)]
    today = snapshot.today
    here = position(_evidence_on(today, spans, snapshot))
    days = {partnership.started, today}
    days |= {x.start for x in spans} | {x.end for x in spans if x.end is not None}
    points = [(day, _evidence_on(day, spans, snapshot)) for day in sorted(days) if day <= today]
    moves = journey(points)
    return {
        "step": here.step,
        "coarse": here.coarse,
        "reasons": list(here.reasons),
        "meaning": here.meaning,
        "question": here.question,
        "steps": [{"step": step, "meaning": STEP_MEANING[step], "here": step == here.step} for step in STEPS],
        "journey": [
            {
                "date": move.date.isoformat(),
                "step": move.position.step,
                "direction": move.direction,
                "reasons": list(move.position.reasons),
            }
            for move in moves
        ],
        "evidence": [
            {
                "title": x.title,
                "url": x.url,
                "arrangement": x.arrangement.replace("_", " "),
                "start": x.start.isoformat(),
                "end": x.end.isoformat() if x.end else None,
            }
            for x in sorted(spans, key=lambda x: (x.start, x.title))
        ],
    }
