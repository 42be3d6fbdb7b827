"""Voice API: a partnership's released feedback figures by month (the same `selectors.results` as the page, so
disclosure control has hidden what it must; hidden groups come with `shown: false` and no numbers). Comments are
not in the API."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router

from joinedup.core.permissions import Permission, has_permission, permission_declared
from joinedup.register.models import Partnership
from joinedup.voice import selectors
from joinedup.voice.schemas import FeedbackResultsOut, FigureOut, ServiceOut, StatementOut

router = Router(tags=["voice"])


def _figure(figure: selectors.Figure) -> FigureOut:
    return FigureOut(
        label=figure.label,
        shown=figure.shown,
        answers=figure.answers,
        very_good_or_good=figure.good,
        percent_very_good_or_good=figure.share,
        statements=[
            StatementOut(
                key=s.key, statement=s.text, answered=s.answered, agree=s.agree, percent_agree=s.share
            )
            for s in figure.statements
        ],
    )


@router.get("/voice/partnerships/{pk}/results", response=FeedbackResultsOut)
@permission_declared(Permission.PARTNERSHIP_VIEW)
def feedback_results(request: HttpRequest, pk: int) -> FeedbackResultsOut:
    """Released feedback figures of complete months; a month below the smallest group is hidden."""
    partnership = Partnership.objects.filter(pk=pk).first()
    if partnership is None or not has_permission(request.user, Permission.PARTNERSHIP_VIEW, partnership):
        raise Http404("No such partnership")
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
