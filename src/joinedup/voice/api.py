"""Voice API: a partnership's released feedback figures by month (the same `selectors.results` as the page, so
disclosure control has hidden what it must: every hidden number is null with the reason `fewer_than_k`), and
its "you said, we did" log. Comments are not in the API."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from joinedup.core.api_figures import Suppressed, figure
from joinedup.core.api_pages import CursorPagination
from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.register.models import Partnership
from joinedup.voice import selectors
from joinedup.voice.schemas import (
    FeedbackResultsOut,
    FigureOut,
    LogEntryOut,
    RecordLinkOut,
    ServiceOut,
    StatementOut,
)

router = Router(tags=["voice"])
K = Suppressed.FEWER_THAN_K


def _figure(f: selectors.Figure) -> FigureOut:
    hidden = None if f.shown else K
    return FigureOut(
        label=f.label,
        shown=f.shown,
        answers=figure(f.answers, hidden),
        very_good_or_good=figure(f.good, hidden),
        percent_very_good_or_good=figure(f.share, hidden),
        statements=[
            StatementOut(
                key=s.key,
                statement=s.text,
                answered=figure(s.answered, hidden or (K if s.answered is None else None)),
                agree=figure(s.agree, hidden or (K if s.answered is None else None)),
                percent_agree=figure(s.share, hidden or (K if s.answered is None else None)),
            )
            for s in f.statements
        ],
    )


def _partnership(request: HttpRequest, pk: int) -> Partnership:
    partnership = Partnership.objects.filter(pk=pk).first()
    if partnership is None or not has_permission(request.user, Permission.PARTNERSHIP_VIEW, partnership):
        raise Http404("No such partnership")
    return partnership


@router.get("/voice/partnerships/{pk}/results", response=FeedbackResultsOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def feedback_results(request: HttpRequest, pk: int) -> FeedbackResultsOut:
    """Released feedback figures of complete months; a month below the smallest group is hidden."""
    partnership = _partnership(request, pk)
    released = selectors.results(partnership=partnership)
    return FeedbackResultsOut(
        partnership_id=partnership.pk,
        smallest_group=released.k,
        whole_period=_figure(released.whole) if released.whole else None,
        months=[_figure(f) for f in released.by_month],
        services=[
            ServiceOut(
                form_id=form.pk,
                service=form.service_label,
                whole_period=_figure(f),
                months=[_figure(m) for m in ms],
            )
            for form, f, ms in released.by_form
        ],
    )


def _link(ref: Any) -> RecordLinkOut | None:
    return None if ref is None else RecordLinkOut(kind=ref.kind, id=ref.id, title=ref.title)


@router.get("/voice/partnerships/{pk}/you-said-we-did", response=list[LogEntryOut])
@paginate(CursorPagination, descending=True)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def you_said_we_did(request: HttpRequest, pk: int) -> Any:
    """The partnership's "you said, we did" log, the most recently added first, as its public page shows it."""
    return [
        LogEntryOut(
            id=e.entry.pk,
            theme=e.entry.theme.name,
            you_said=e.entry.you_said,
            we_did=e.entry.we_did,
            recorded_on=e.entry.recorded_on,
            record=_link(e.record),
            indicator=_link(e.indicator),
        )
        for e in selectors.log_for(partnership=_partnership(request, pk))
    ]
