"""Networks API: a relationship wave's network metrics and the change between two waves, the same numbers as
the network and compare pages (from `selectors.wave_network` and `selectors.wave_comparison`).

A wave whose partnership the caller may not see answers 404, exactly as one that does not exist; a caller who
may see the partnership but not its networks gets 403, as on the pages. The figures are an export: a caller
without Permission.EXPORT in the partnership gets 403 too.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from joinedup.accounts.models import User
from joinedup.core.api_figures import Figure, Suppressed, figure
from joinedup.core.choices import JobStatus
from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.networks import selectors, services
from joinedup.networks.choices import RELATIONSHIP_KIND, Exchange, Frequency
from joinedup.networks.schemas import (
    AnalysisPendingOut,
    FiltersOut,
    MeasuresOut,
    NetworkSummaryOut,
    NodeOut,
    OrganisationChangeOut,
    OrganisationMeasuresOut,
    RatingsOut,
    TieCountsOut,
    TieOut,
    WaveComparisonOut,
    WaveNetworkOut,
    WaveOut,
)
from joinedup.surveys.models import Wave

router = Router(tags=["networks"])
_EXCHANGES = frozenset(Exchange.values)


def _wave_or_404(request: HttpRequest, wave_id: int) -> Wave:
    wave = Wave.objects.select_related("partnership").filter(pk=wave_id, kind=RELATIONSHIP_KIND).first()
    if wave is None or not has_permission(request.user, Permission.PARTNERSHIP_VIEW, wave.partnership):
        raise Http404("No such wave")
    if not has_permission(request.user, Permission.NETWORK_VIEW, wave.partnership):
        raise HttpError(403, "Your account cannot see this partnership's networks.")
    if not has_permission(request.user, Permission.EXPORT, wave.partnership):
        raise HttpError(403, "Your account cannot export this partnership's figures.")
    return wave


def _analysed(
    request: HttpRequest, wave: Wave, exchange: str, min_frequency: int
) -> selectors.WaveNetwork | AnalysisPendingOut:
    """The wave's network: analysed here for a small wave; for a large one, from its finished background
    analysis, or the progress of that analysis (queued now if there is none, or the last one failed)."""
    if selectors.wave_size(wave=wave) <= selectors.LARGE_WAVE:
        return selectors.wave_network(wave=wave, exchange=exchange, min_frequency=min_frequency)
    key = selectors.wave_network_key(wave=wave, exchange=exchange, min_frequency=min_frequency)
    job = selectors.wave_network_job(key=key)
    if job is None or job.status == JobStatus.FAILED:
        job = services.wave_network_schedule(
            wave=wave,
            key=key,
            exchange=exchange,
            min_frequency=min_frequency,
            by=request.user if isinstance(request.user, User) else None,
        )
        job.refresh_from_db()
    if job.status != JobStatus.DONE or job.result is None:
        return AnalysisPendingOut(
            status=job.status, percent=job.percent, message=job.message, error=job.error
        )
    return selectors.WaveNetwork.from_dict(wave, job.result)


def _hidden(network: selectors.WaveNetwork, row: dict[str, Any] | None) -> Suppressed | None:
    """Why a row's trust or value received is null, if the release withheld it (rating_disclosure)."""
    if not network.ratings.released:
        return Suppressed.NOT_RELEASED
    if row is not None and 0 < row["raters"] < network.ratings.min_raters:
        return Suppressed.TOO_FEW_RATERS
    return None


def _rated(network: selectors.WaveNetwork, row: dict[str, Any], key: str) -> Figure:
    return figure(row[key], None if row[key] is not None else _hidden(network, row))


def _wave_out(wave: Wave) -> WaveOut:
    return WaveOut(
        id=wave.pk,
        title=wave.title,
        partnership_id=wave.partnership_id,
        status=wave.status,
        opens=wave.opens,
        closes=wave.closes,
    )


@router.get("/networks/waves/{wave_id}", response={200: WaveNetworkOut, 202: AnalysisPendingOut})
@permission_declared(Permission.EXPORT)
def wave_network(
    request: HttpRequest,
    wave_id: int,
    exchange: str = Query(
        "",
        pattern=rf"^({'|'.join(sorted(_EXCHANGES))})?$",  # declared in the schema; 422 otherwise
        description="Only ties with this kind of exchange (blank: any kind).",
    ),
    min_frequency: int = Query(
        0, ge=0, le=max(Frequency.values), description="Only ties at least this frequent (0 to 5)."
    ),
) -> Any:
    """The wave's network from submitted answers: response rate, who did not answer, whole-network measures
    and each organisation's measures (most named first). Filters apply to ties before the analysis, except
    trust and value received: they are always from all the wave's ties, shown once the survey has closed and
    only for organisations rated by at least `ratings.min_raters` organisations (see `ratings`).

    A wave of more than 1,500 organisations is analysed in the background, as on its page: until the analysis
    of its current answers has finished, the answer is 202 with the analysis's progress; ask again later."""
    if exchange and exchange not in _EXCHANGES:
        raise HttpError(422, f"exchange must be one of: {', '.join(sorted(_EXCHANGES))}")
    wave = _wave_or_404(request, wave_id)
    analysed = _analysed(request, wave, exchange, min_frequency)
    if isinstance(analysed, AnalysisPendingOut):
        return Status(202, analysed)
    network = analysed
    ratings = network.ratings
    unreleased = None if ratings.released else Suppressed.NOT_RELEASED
    rows = [
        {**row, "trust": _rated(network, row, "trust"), "value": _rated(network, row, "value")}
        for row in network.organisation_rows()
    ]
    summary: dict[str, Any] = dict(network.metrics.network)
    summary["trust"], summary["value"] = (figure(summary.get(k), unreleased) for k in ("trust", "value"))
    return WaveNetworkOut(
        wave=_wave_out(wave),
        filters=FiltersOut(exchange=exchange, min_frequency=min_frequency),
        ratings=RatingsOut(
            released=ratings.released, min_raters=ratings.min_raters, withheld=ratings.withheld
        ),
        response_rate=network.response_rate,
        non_respondents=[NodeOut(id=n.id, name=n.name, sector=n.sector) for n in network.non_respondents],
        network=NetworkSummaryOut(**{**summary, "tie_rows": network.tie_rows}),
        organisations=[OrganisationMeasuresOut(**row) for row in rows],
    )


@router.get("/networks/compare", response={200: WaveComparisonOut, 202: AnalysisPendingOut})
@permission_declared(Permission.EXPORT)
def compare(
    request: HttpRequest,
    from_wave: int = Query(..., alias="from", description="The earlier relationship wave."),
    to_wave: int = Query(..., alias="to", description="The later relationship wave."),
) -> Any:
    """Ties gained, lost and kept between two relationship waves of one partnership (only ties reported by
    organisations that answered both times), the Jaccard similarity, and each organisation's change.

    A wave of more than 1,500 organisations is analysed in the background: until both analyses have finished,
    the answer is 202 with the progress of the one least far on; ask again later."""
    before = _wave_or_404(request, from_wave)
    after = _wave_or_404(request, to_wave)
    if before.partnership_id != after.partnership_id:
        raise HttpError(422, "Both waves must belong to the same partnership.")
    if before.pk == after.pk:
        raise HttpError(422, "Choose two different waves.")
    first, second = (_analysed(request, w, "", 0) for w in (before, after))
    pending = [a for a in (first, second) if isinstance(a, AnalysisPendingOut)]
    if pending:
        return Status(202, min(pending, key=lambda p: p.percent))
    assert not isinstance(first, AnalysisPendingOut) and not isinstance(second, AnalysisPendingOut)
    result = selectors.wave_comparison(before=before, after=after, first=first, second=second)
    ties = result["ties"]
    rows_before = {r["id"]: r for r in first.organisation_rows_in_order()}
    rows_after = {r["id"]: r for r in second.organisation_rows_in_order()}

    def measures(values: dict[str, Any], why: dict[str, Suppressed | None]) -> MeasuresOut:
        rated = {k: figure(values[k], None if values[k] is not None else why[k]) for k in ("trust", "value")}
        return MeasuresOut(**{**values, **rated})

    def reasons(key: Any) -> tuple[dict[str, Suppressed | None], ...]:
        """Why each side's (and so the change's) trust and value are null, where the releases withheld them."""
        before = _hidden(first, rows_before.get(key)) if key in rows_before else None
        after = _hidden(second, rows_after.get(key)) if key in rows_after else None
        either = {"trust": before or after, "value": before or after}
        return {"trust": before, "value": before}, {"trust": after, "value": after}, either

    names = {n.id: n.name for n in result["first"].nodes} | {n.id: n.name for n in result["second"].nodes}

    def tie_rows(pairs: list[tuple[Any, Any]]) -> list[TieOut]:
        rows = [TieOut(source_id=a, source=names[a], target_id=b, target=names[b]) for a, b in pairs]
        return sorted(rows, key=lambda t: (t.source, t.target))

    return WaveComparisonOut(
        before=_wave_out(before),
        after=_wave_out(after),
        observed=result["observed_count"],
        ties=TieCountsOut(
            gained=len(ties.gained),
            lost=len(ties.lost),
            kept=len(ties.kept),
            not_comparable=ties.not_comparable,
        ),
        jaccard=ties.jaccard,
        gained=tie_rows(ties.gained),
        lost=tie_rows(ties.lost),
        organisations=[
            OrganisationChangeOut(
                id=row["change"].key,
                name=row["name"],
                in_before=row["change"].in_before,
                in_after=row["change"].in_after,
                before=measures(row["change"].before, reasons(row["change"].key)[0]),
                after=measures(row["change"].after, reasons(row["change"].key)[1]),
                change=measures(row["change"].change, reasons(row["change"].key)[2]),
            )
            for row in result["organisation_rows"]
        ],
    )
