"""The demo's indicators read as the demo promises: a trend of concern, a shift, a consistently failed target
and three series of common cause only, each checked with joinedup.analysis.spc on the stored figures."""

from __future__ import annotations

import pytest

from joinedup.analysis.spc import Assurance, PointType, Rule, read_series
from joinedup.outcomes import selectors
from joinedup.outcomes.models import Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from joinedup.demo.northshire import build_northshire

    return build_northshire(seed=2026)


def spc(indicator, direction):
    rows = list(Measurement.objects.filter(indicator=indicator, is_current=True).order_by("period"))
    assert len(rows) == 8
    return read_series(
        [str(r.period) for r in rows],
        [r.value for r in rows],
        direction=direction,
        target=indicator.target_value,
    )


def test_six_indicators_of_eight_quarters_read_as_promised(demo):
    made = demo["indicators"]
    assert len(made) == 6
    assert {i.partnership.name for i in made.values()} == {"Northshire Community Mental Health Partnership"}

    trend = spc(made["referral-to-first-contact"], "decrease")
    assert [p.rule for p in trend.points] == [None] + [Rule.TREND] * 7  # exactly 7 rising points
    assert trend.variation is PointType.CONCERN

    shift = spc(made["shared-care-plan"], "increase")
    assert [p.rule for p in shift.points] == [None] + [Rule.SHIFT] * 7  # exactly 7 above the mean
    assert shift.variation is PointType.IMPROVEMENT

    failing = spc(made["service-user-experience"], "increase")
    assert failing.assurance is Assurance.CONSISTENT_FAIL
    assert failing.points[-1].upl < made["service-user-experience"].target_value

    for key in ("partner-attendance", "actions-on-time", "avoidable-emergency-admissions"):
        read = spc(made[key], selectors.current_version(made[key]).direction)
        assert {p.point_type for p in read.points} == {PointType.COMMON_CAUSE}, key

    # the pages read them the same way, and one figure keeps its corrections
    page = selectors.reading(
        selectors.indicator_list(partnership=made["shared-care-plan"].partnership).get(
            pk=made["referral-to-first-contact"].pk
        )
    )
    assert page.variation is PointType.CONCERN
    corrected = Measurement.objects.filter(indicator=made["partner-attendance"]).values_list(
        "period", flat=True
    )
    assert len(corrected) == 10  # 8 quarters, one of them entered three times


def test_the_demo_indicators_serve_the_aims_clause_and_signal_on_the_timeline(demo):
    from joinedup.core.registry import records_resolve, timeline_for

    indicator = demo["indicators"]["referral-to-first-contact"]
    clause = records_resolve([(indicator.clause_kind, indicator.clause_id)])[
        (indicator.clause_kind, indicator.clause_id)
    ]
    assert "Aims and outcomes" in clause.title
    signals = [
        e
        for e in timeline_for(user=demo["users"]["coordinator"], partnership=indicator.partnership, limit=50)
        if e.kind == "Signal"
    ]
    assert {e.title.split(":")[0] for e in signals} == {
        indicator.title,
        demo["indicators"]["shared-care-plan"].title,
    }
