"""Assessments API: a wave's latest release, exactly as the results page and its CSV show it (whatever
disclosure control hides has no numbers). A wave the caller may not see answers 404; the figures are an export, so a caller who
sees the partnership but may not export its figures (Permission.EXPORT) gets 403, as for the CSV."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.assessments.schemas import DimensionOut, GroupOut, PendingOut, ReleaseOut, WaveResultsOut
from joinedup.assessments.selectors import release_status
from joinedup.assessments.services import wave_results_ensure
from joinedup.core.api_figures import Suppressed
from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.surveys.models import Wave

router = Router(tags=["assessments"])


@router.get("/waves/{wave_id}/results", response={200: WaveResultsOut, 503: PendingOut})
@permission_declared(Permission.EXPORT)
def wave_results(request: HttpRequest, wave_id: int) -> WaveResultsOut | Status[PendingOut]:
    """Whole-wave scores per dimension, breakdowns by organisation, sector, profession and role level, and gaps.

    503 while a wave's answers are being scored for the first time (a background job; ask again shortly).
    """
    wave = Wave.objects.select_related("partnership").filter(pk=wave_id, kind=ASSESSMENT_KIND).first()
    if wave is None or not has_permission(request.user, Permission.PARTNERSHIP_VIEW, wave.partnership):
        raise Http404("No such wave")
    if not has_permission(request.user, Permission.EXPORT, wave.partnership):
        raise HttpError(403, "Your account cannot export this partnership's figures.")
    result = wave_results_ensure(wave=wave)
    if result is None:
        return Status(
            503, PendingOut(detail="This wave's answers are still being scored; ask again in a minute.")
        )
    report = result.report
    status = release_status(wave=wave)
    hidden = Suppressed.NOT_RELEASED if not result.release else Suppressed.FEWER_THAN_K
    return WaveResultsOut(
        wave=wave.pk,
        title=wave.title,
        instrument=report["instrument"],
        min_group_size=wave.min_group_size,
        respondents=result.respondents,
        dimensions=[DimensionOut.of(d, hidden) for d in report["dimensions"]],
        groups={by: [GroupOut.of(g) for g in groups] for by, groups in report.get("groups", {}).items()},
        gaps=report.get("gaps", []),
        items=result.items,
        release=ReleaseOut(
            number=result.release, released_at=result.released_at, final=result.final, message=status.message
        ),
    )
