"""Indicators API: list a partnership's indicators with their reading, read one indicator's series with its SPC
reading point by point, and record a measurement. An indicator or partnership the caller may not see answers
404; recording needs INDICATOR_RECORD (403). A measurement the checks refuse answers 422, a problem (RFC 9457)
whose `invalid_params` name each field and why, as the form would."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ValidationError as PydanticError

from joinedup.core.api_pages import CursorPagination
from joinedup.core.api_rules import Problem, problem, problem_from_fields
from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.outcomes import selectors, services
from joinedup.outcomes.models import Indicator
from joinedup.outcomes.periods import parse_period, period_code
from joinedup.outcomes.schemas import (
    GroupOut,
    IndicatorOut,
    MeasurementIn,
    MeasurementOut,
    PointOut,
    SeriesOut,
)
from joinedup.outcomes.series import SeriesReading
from joinedup.register import selectors as register_selectors

router = Router(tags=["outcomes"])


def _indicator_out(indicator: Indicator, read: SeriesReading) -> IndicatorOut:
    version = selectors.current_version(indicator)
    return IndicatorOut(
        id=indicator.pk,
        partnership_id=indicator.partnership_id,
        title=indicator.title,
        kind=indicator.kind,
        rba_question=indicator.rba_question,
        frequency=indicator.frequency,
        owner_id=indicator.owner_id,
        owner=indicator.owner.name,
        definition=version.definition,
        unit=version.unit,
        direction=version.direction,
        definition_version=version.number,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        variation=read.variation.value if read.variation else None,
        assurance=read.assurance.value if read.assurance else None,
    )


def _indicator_or_404(request: HttpRequest, indicator_id: int) -> Indicator:
    found = selectors.indicator_get(user=request.user, pk=indicator_id)
    if found is None:
        raise Http404("No such indicator")
    return found


@router.get("/partnerships/{partnership_id}/indicators", response=list[IndicatorOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_indicators(request: HttpRequest, partnership_id: int) -> Any:
    """A partnership's indicators, each with the variation and assurance of its latest figures."""
    partnership = register_selectors.partnership_get(user=request.user, pk=partnership_id)
    if partnership is None:
        raise Http404("No such partnership")
    return [_indicator_out(i, read) for i, read in selectors.indicators_read(partnership=partnership)]


@router.get("/indicators/{indicator_id}", response=IndicatorOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def get_indicator(request: HttpRequest, indicator_id: int) -> IndicatorOut:
    """One indicator with its definition, target, baseline and the variation and assurance of its figures."""
    indicator = _indicator_or_404(request, indicator_id)
    return _indicator_out(indicator, selectors.reading(indicator))


@router.get("/indicators/{indicator_id}/measurements", response=list[MeasurementOut])
@paginate(CursorPagination)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def list_measurements(
    request: HttpRequest,
    indicator_id: int,
    since: datetime.date | None = Query(None, description="Only periods starting on or after this day."),
    revisions: bool = Query(False, description="Every revision, not only the current figure of each period."),
) -> Any:
    """The indicator's recorded figures in the order they were entered (current ones unless `revisions`)."""
    indicator = _indicator_or_404(request, indicator_id)
    rows = indicator.measurements.all() if revisions else indicator.measurements.filter(is_current=True)
    if since is not None:
        rows = rows.filter(period__gte=since)
    return [_measurement_out(m, indicator) for m in rows]


def _measurement_out(saved: Any, indicator: Indicator) -> MeasurementOut:
    return MeasurementOut(
        id=saved.pk,
        period=period_code(saved.period, indicator.frequency),
        period_start=saved.period,
        value=saved.value,
        numerator=saved.numerator,
        denominator=saved.denominator,
        note=saved.note,
        revision=saved.revision,
    )


@router.get("/indicators/{indicator_id}/series", response=SeriesOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def indicator_series(request: HttpRequest, indicator_id: int) -> SeriesOut:
    """An indicator's current measurements, each with its SPC reading (mean, limits, rule, point type)."""
    indicator = _indicator_or_404(request, indicator_id)
    read = selectors.reading(indicator)
    points = [
        PointOut(
            period=p.code,
            period_start=p.period,
            value=p.value,
            numerator=p.measurement.numerator,
            denominator=p.measurement.denominator,
            revision=p.measurement.revision,
            group=p.group,
            definition_version=p.version,
            mean=p.mean,
            lpl=p.lpl,
            upl=p.upl,
            rule=p.rule.value if p.rule else None,
            point_type=p.point_type.value,
            trajectory=p.trajectory,
        )
        for p in read.points
    ]
    groups = [GroupOut(**g.__dict__) for g in read.groups]
    return SeriesOut(indicator=_indicator_out(indicator, read), points=points, groups=groups)


_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": MeasurementIn.model_json_schema()}},
    }
}


@router.post(
    "/indicators/{indicator_id}/measurements",
    response={201: MeasurementOut, 422: Problem},
    openapi_extra=_BODY,
)
@permission_declared(Permission.INDICATOR_RECORD)
def record_measurement(request: HttpRequest, indicator_id: int) -> Any:
    """Record the figure for a period; for a period already recorded, a different figure is a new revision.
    The body is a MeasurementIn, read after the permission checks, so a refused caller learns nothing from it."""
    indicator = _indicator_or_404(request, indicator_id)
    if not has_permission(request.user, Permission.INDICATOR_RECORD, indicator.partnership):
        raise HttpError(403, "Your account cannot record this partnership's indicators.")
    try:
        payload = MeasurementIn.model_validate_json(request.body or b"{}")
    except PydanticError as exc:
        params = [(".".join(str(p) for p in e["loc"]) or "body", e["msg"]) for e in exc.errors()]
        return problem(422, "The measurement was refused: see each field.", invalid_params=params)
    try:
        period = parse_period(payload.period, indicator.frequency)
    except ValueError as exc:
        return problem_from_fields({"period": [str(exc)]})
    try:
        saved = services.measurement_record(
            by=request.user,
            indicator=indicator,
            period=period,
            value=payload.value,
            numerator=payload.numerator,
            denominator=payload.denominator,
            note=payload.note,
        )
    except ValidationError as exc:
        return problem_from_fields(exc.message_dict)
    return Status(201, _measurement_out(saved, indicator))
