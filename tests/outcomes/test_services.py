"""Indicator services: the audit, versioned definitions, revisions of measurements, rebases, all-or-nothing
imports and refusals that name the field."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from joinedup.core.choices import AuditVerb
from joinedup.core.models import AuditEvent
from joinedup.outcomes import selectors, services
from joinedup.outcomes.imports import ImportProblems
from joinedup.outcomes.models import IndicatorVersion, Measurement, Rebase
from tests.factories import OrganisationFactory
from tests.outcomes.helpers import FIRST, TODAY, make_indicator, quarters, record

pytestmark = pytest.mark.django_db


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


def test_creating_an_indicator_makes_definition_1_and_is_audited():
    setup = make_indicator()
    version = IndicatorVersion.objects.get(indicator=setup.indicator)
    assert (version.number, version.unit, version.direction, version.starts) == (1, "%", "increase", None)
    assert AuditVerb.INDICATOR_CREATED in verbs()


def test_the_owner_must_be_a_current_member_and_each_problem_names_its_field():
    setup = make_indicator()
    with pytest.raises(ValidationError) as caught:
        services.indicator_create(
            by=setup.coordinator,
            partnership=setup.place.partnership,
            fields={
                "title": "",
                "kind": "process",
                "rba_question": "how_well",
                "frequency": "quarterly",
                "definition": "x",
                "unit": "",
                "direction": "up",
                "owner": OrganisationFactory(),
                "target_value": 3.0,
            },
        )
    assert set(caught.value.message_dict) == {"title", "unit", "direction", "owner", "target_date"}
    assert "is not a current member" in caught.value.message_dict["owner"][0]


def test_a_figure_for_a_recorded_period_is_a_new_revision_and_the_old_one_is_kept():
    setup = make_indicator()
    record(setup, [50.0])
    services.measurement_record(
        by=setup.coordinator,
        indicator=setup.indicator,
        period=FIRST,
        value=55.0,
        note="Corrected from the audit",
        today=TODAY,
    )
    rows = list(Measurement.objects.filter(indicator=setup.indicator).order_by("revision"))
    assert [(r.revision, r.value, r.is_current) for r in rows] == [(1, 50.0, False), (2, 55.0, True)]
    assert verbs()[-2:] == [AuditVerb.MEASUREMENT_RECORDED, AuditVerb.MEASUREMENT_REVISED]
    assert AuditEvent.objects.filter(verb=AuditVerb.MEASUREMENT_REVISED).get().data["was"] == 50.0
    # the same figure again changes nothing
    services.measurement_record(
        by=setup.coordinator,
        indicator=setup.indicator,
        period=FIRST,
        value=55.0,
        note="Corrected from the audit",
        today=TODAY,
    )
    assert Measurement.objects.filter(indicator=setup.indicator).count() == 2
    history = selectors.earlier_revisions(indicator=setup.indicator)
    assert [m.value for m in history[FIRST]] == [50.0]


@pytest.mark.parametrize(
    ("figures", "field", "words"),
    [
        ({"value": 40.0, "numerator": 50.0, "denominator": 100.0}, "value", "does not agree"),
        ({"value": 50.0, "numerator": 50.0}, "denominator", "Give the denominator too"),
        ({"value": 50.0, "numerator": 5.0, "denominator": 0.0}, "denominator", "cannot be 0"),
        ({"value": float("inf")}, "value", "must be a number"),
    ],
)
def test_figures_that_do_not_add_up_are_refused_naming_the_field(figures, field, words):
    setup = make_indicator()
    with pytest.raises(ValidationError) as caught:
        services.measurement_record(
            by=setup.coordinator, indicator=setup.indicator, period=FIRST, today=TODAY, **figures
        )
    assert words in caught.value.message_dict[field][0]
    assert not Measurement.objects.exists()


def test_numerator_and_denominator_that_agree_with_the_value_are_kept():
    setup = make_indicator()
    services.measurement_record(
        by=setup.coordinator,
        indicator=setup.indicator,
        period=FIRST,
        value=33.3,
        numerator=1,
        denominator=3,
        today=TODAY,
    )
    assert Measurement.objects.get().denominator == 3


def test_a_period_not_yet_started_or_not_a_quarter_is_refused():
    setup = make_indicator()
    with pytest.raises(ValidationError) as caught:
        services.measurement_record(
            by=setup.coordinator,
            indicator=setup.indicator,
            period=datetime.date(2027, 1, 1),
            value=1.0,
            today=TODAY,
        )
    assert "has not started" in caught.value.message_dict["period"][0]
    with pytest.raises(ValidationError):
        services.measurement_record(
            by=setup.coordinator,
            indicator=setup.indicator,
            period=datetime.date(2026, 2, 1),
            value=1.0,
            today=TODAY,
        )


def test_changing_the_definition_starts_a_new_version_and_the_chart_a_new_line():
    setup = make_indicator()
    record(setup, [50, 52, 51, 53, 70, 72, 71, 73])
    with pytest.raises(ValidationError) as caught:  # no starting period
        services.indicator_edit(by=setup.coordinator, indicator=setup.indicator, fields={"unit": "people"})
    assert "starts" in caught.value.message_dict
    starts = quarters(5)[4]
    services.indicator_edit(
        by=setup.coordinator,
        indicator=setup.indicator,
        fields={"definition": "Seen within 10 working days.", "title": "Seen quickly"},
        starts=starts,
    )
    versions = list(IndicatorVersion.objects.filter(indicator=setup.indicator))
    assert [(v.number, v.starts) for v in versions] == [(1, None), (2, starts)]
    assert versions[1].definition == "Seen within 10 working days." and versions[1].unit == "%"
    assert AuditVerb.INDICATOR_DEFINITION_CHANGED in verbs() and AuditVerb.INDICATOR_UPDATED in verbs()
    setup.indicator.refresh_from_db()
    assert setup.indicator.title == "Seen quickly"
    read = selectors.reading(selectors.indicator_get(user=setup.coordinator, pk=setup.indicator.pk))
    assert [g.points for g in read.groups] == [4, 4]
    assert read.points[4].starts_group == "definition 2 starts"
    assert read.groups[1].mean == pytest.approx(71.5)  # the new line's own mean


def test_an_edit_may_not_touch_other_fields():
    setup = make_indicator()
    with pytest.raises(TypeError):
        services.indicator_edit(by=setup.coordinator, indicator=setup.indicator, fields={"partnership": None})


def test_a_rebase_needs_a_reason_and_a_later_recorded_period_and_is_audited():
    setup = make_indicator()
    record(setup, [50, 52, 51, 53, 60, 62, 61, 63])
    later = quarters(8)[4]
    with pytest.raises(ValidationError) as caught:
        services.indicator_rebase(by=setup.coordinator, indicator=setup.indicator, period=FIRST, reason=" ")
    assert set(caught.value.message_dict) == {"reason", "period"}
    with pytest.raises(ValidationError) as caught:  # no governance app: a decision cannot be named
        services.indicator_rebase(
            by=setup.coordinator, indicator=setup.indicator, period=later, reason="New pathway", decision_id=1
        )
    assert "decision_id" in caught.value.message_dict
    services.indicator_rebase(
        by=setup.coordinator,
        indicator=setup.indicator,
        period=later,
        reason="The new pathway started in January",
    )
    assert Rebase.objects.get().reason == "The new pathway started in January"
    assert verbs()[-1] == AuditVerb.INDICATOR_REBASED
    read = selectors.reading(selectors.indicator_get(user=setup.coordinator, pk=setup.indicator.pk))
    assert [g.points for g in read.groups] == [4, 4]
    assert read.groups[1].reason == "rebased: The new pathway started in January"
    assert all(g.provisional for g in read.groups)


def test_an_import_is_all_or_nothing():
    setup = make_indicator()
    record(setup, [50.0])
    good = b"period,value,note\n2024-01,51,corrected\n2024-04,52,\n2024-07,53,\n"
    report = services.measurements_import(
        by=setup.coordinator, indicator=setup.indicator, data=good, filename="q.csv", today=TODAY
    )
    assert (report.added, report.revised, report.unchanged) == (2, 1, 0)
    assert verbs()[-1] == AuditVerb.MEASUREMENTS_IMPORTED
    before = Measurement.objects.count()
    bad = b"period,value\n2024-10,54\n2025-01,lots\n"
    with pytest.raises(ImportProblems) as caught:
        services.measurements_import(by=setup.coordinator, indicator=setup.indicator, data=bad, today=TODAY)
    assert caught.value.problems == ["row 3, column value: 'lots' is not a number"]
    assert Measurement.objects.count() == before  # the good row 2 was not kept either


def test_saving_an_unchanged_indicator_writes_no_audit_event_and_a_new_trajectory_does():
    setup = make_indicator()
    count = AuditEvent.objects.count()
    services.indicator_edit(
        by=setup.coordinator,
        indicator=setup.indicator,
        fields={"title": setup.indicator.title},
        trajectory={},
    )
    assert AuditEvent.objects.count() == count
    services.indicator_edit(
        by=setup.coordinator, indicator=setup.indicator, fields={}, trajectory={FIRST: 70.0}
    )
    event = AuditEvent.objects.order_by("id").last()
    assert event.verb == AuditVerb.INDICATOR_UPDATED and event.data["changes"]["trajectory"] == [
        "0 periods",
        "1 period",
    ]
