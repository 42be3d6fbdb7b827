"""Monthly feedback figures go through the same disclosure control as every survey (analysis.disclosure), and an
attacker who adds and subtracts what is released cannot recover a month that is hidden: the whole period minus
the shown months, a service against the partnership's total, or this month's release against last month's."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from joinedup.analysis import disclosure
from joinedup.voice import selectors, services
from joinedup.voice.models import FeedbackResponse
from tests.api_helpers import unfigure
from tests.voice.helpers import answers_in, feedback_setup

pytestmark = pytest.mark.django_db
K = 10


def true_counts(form: Any = None) -> dict[str, int]:
    qs = FeedbackResponse.objects.all() if form is None else FeedbackResponse.objects.filter(form=form)
    counts: dict[str, int] = {}
    for day in qs.values_list("submitted_on", flat=True):
        label = selectors.month_label(selectors.month_key(day))
        counts[label] = counts.get(label, 0) + 1
    return counts


def leaks(total: selectors.Figure, parts: list[selectors.Figure], truth: dict[str, int]) -> bool:
    """Whether `total` minus its shown `parts` gives away a set of 1 .. k-1 people (the hidden parts together)."""
    if not total.shown:
        return False
    hidden = sum(truth[p.label] for p in parts if not p.shown)
    return 0 < hidden < K


def test_a_month_below_k_is_hidden_and_the_whole_period_does_not_give_it_away() -> None:
    partnership, _coordinator, form = feedback_setup()
    answers_in(form, 1, 15)
    answers_in(form, 2, 4)  # below k
    answers_in(form, 3, 20)
    released = selectors.results(partnership=partnership, today=datetime.date(2026, 4, 2))
    by_label = {f.label: f for f in released.by_month}
    assert not by_label["February 2026"].shown and by_label["February 2026"].answers is None
    assert by_label["January 2026"].shown and by_label["January 2026"].answers == 15
    assert not leaks(released.whole, released.by_month, true_counts())  # type: ignore[arg-type]
    # And the whole is not simply dropped when nothing is hidden.
    answers_in(form, 2, 10)
    again = selectors.results(partnership=partnership, today=datetime.date(2026, 4, 2))
    assert again.whole is not None and again.whole.shown and again.whole.answers == 49


def test_a_service_against_the_partnership_total_does_not_give_a_hidden_month_away() -> None:
    partnership, coordinator, crisis = feedback_setup("Crisis team")
    day = services.form_create(by=coordinator, partnership=partnership, service="Day service")
    for month, (a, b) in enumerate([(20, 12), (18, 3), (25, 14), (12, 11)], start=1):
        answers_in(crisis, month, a)
        answers_in(day, month, b)
    released = selectors.results(partnership=partnership, today=datetime.date(2026, 5, 1))
    services_by_id = {form.pk: (figure, monthly) for form, figure, monthly in released.by_form}
    day_monthly = {f.label: f for f in services_by_id[day.pk][1]}
    assert not day_monthly["February 2026"].shown  # 3 answers
    truth_day, truth_crisis = true_counts(day), true_counts(crisis)
    for i, month in enumerate(released.by_month):
        # the month's total minus the services' shown months
        parts = [(services_by_id[crisis.pk][1][i], truth_crisis), (services_by_id[day.pk][1][i], truth_day)]
        hidden = sum(truth[p.label] for p, truth in parts if not p.shown) if month.shown else 0
        assert not 0 < hidden < K, month.label
    for form, truth in ((crisis, truth_crisis), (day, truth_day)):
        figure, monthly = services_by_id[form.pk]
        assert not leaks(figure, monthly, truth), form.service
    # the whole period minus the services' totals
    totals = [figure for figure, _ in services_by_id.values()]
    hidden_total = sum(f.answers or 0 for f in totals if not f.shown)
    assert not (released.whole and released.whole.shown and 0 < hidden_total < K)


def test_this_months_release_against_last_months_does_not_give_the_new_month_away() -> None:
    partnership, _coordinator, form = feedback_setup()
    answers_in(form, 1, 14)
    answers_in(form, 2, 12)
    answers_in(form, 3, 3)  # the month that ends next: too small to show
    before = selectors.results(partnership=partnership, today=datetime.date(2026, 3, 15))
    after = selectors.results(partnership=partnership, today=datetime.date(2026, 4, 1))
    assert before.whole and before.whole.shown and before.whole.answers == 26
    march = {f.label: f for f in after.by_month}["March 2026"]
    assert not march.shown
    # Both totals shown would give March away: 29 - 26 = 3 people.
    assert after.whole is not None
    assert not (after.whole.shown and before.whole.shown), "whole now minus whole a month ago = March"
    feb = {f.label: f for f in after.by_month}["February 2026"]
    jan = {f.label: f for f in after.by_month}["January 2026"]
    if after.whole.shown:
        assert not (feb.shown and jan.shown)


def test_every_released_set_passes_the_disclosure_modules_own_check() -> None:
    partnership, coordinator, crisis = feedback_setup("Crisis team")
    day = services.form_create(by=coordinator, partnership=partnership, service="Day service")
    sizes = [(12, 2), (3, 15), (20, 9), (11, 11), (4, 4)]
    for month, (a, b) in enumerate(sizes, start=1):
        answers_in(crisis, month, a)
        answers_in(day, month, b)
    released = selectors.results(partnership=partnership, today=datetime.date(2026, 6, 1))
    rows = list(
        FeedbackResponse.objects.order_by("submitted_on", "pk").values_list("pk", "form_id", "submitted_on")
    )
    groups: list[frozenset[int]] = []
    for by, value in released.shown.groups:
        if by == disclosure.WHOLE:
            groups.append(frozenset(pk for pk, _f, _d in rows))
        elif by == "month":
            groups.append(frozenset(pk for pk, _f, d in rows if selectors.month_key(d) == value))
        elif by == "service":
            groups.append(frozenset(pk for pk, f, _d in rows if f == value))
        else:
            groups.append(frozenset(pk for pk, f, d in rows if f"{f}:{selectors.month_key(d)}" == value))
    assert all(len(g) >= K for g in groups)
    assert disclosure.find_breach(groups, K) is None


def test_the_current_month_is_not_released_until_it_ends() -> None:
    partnership, _coordinator, form = feedback_setup()
    answers_in(form, 11, 30)
    answers_in(form, 12, 30)
    released = selectors.results(partnership=partnership, today=datetime.date(2026, 12, 7))
    assert [f.label for f in released.by_month] == ["November 2026"]
    assert released.answers_this_month == 30


def test_a_form_cannot_show_groups_smaller_than_10() -> None:
    from django.core.exceptions import ValidationError

    partnership, coordinator, form = feedback_setup()
    with pytest.raises(ValidationError, match="at least 10"):
        services.form_update(by=coordinator, form=form, fields={"min_group_size": 5})
    with pytest.raises(ValidationError):
        services.form_create(by=coordinator, partnership=partnership, service="Other", min_group_size=3)


def test_the_chart_csv_and_api_release_exactly_what_the_page_does(client: Any) -> None:
    import csv
    import io

    from joinedup.voice import charts

    partnership, coordinator, form = feedback_setup()
    answers_in(form, 1, 15)
    answers_in(form, 2, 4)
    answers_in(form, 3, 20)
    released = selectors.results(partnership=partnership, today=datetime.date(2026, 4, 2))
    hidden = {f.label for f in released.by_month if not f.shown}
    assert "February 2026" in hidden
    charted = {v["month"] for v in charts.monthly_spec(released.by_month)["data"]["values"]}
    assert charted == {f.label for f in released.by_month if f.shown} and not charted & hidden
    client.force_login(coordinator)
    body = client.get(f"/voice/partnerships/{partnership.pk}/results.csv").content.decode()
    in_csv = {
        r["month"]: r["answers"] for r in csv.DictReader(io.StringIO(body)) if r["service"] == "all services"
    }
    api = unfigure(client.get(f"/api/v1/voice/partnerships/{partnership.pk}/results").json())
    in_api = {m["label"]: m["answers"] for m in api["months"]}
    for label in hidden:
        assert in_csv[label] == "hidden" and in_api[label] is None


def test_each_months_release_is_kept_once_and_later_ones_are_checked_against_it() -> None:
    partnership, coordinator, form = feedback_setup()
    answers_in(form, 1, 14)
    answers_in(form, 2, 12)
    assert services.releases_make(partnership=partnership, today=datetime.date(2026, 3, 1)) == 2
    assert services.releases_make(partnership=partnership, today=datetime.date(2026, 3, 20)) == 0
    answers_in(form, 3, 3)
    assert services.releases_make(partnership=partnership, today=datetime.date(2026, 4, 1)) == 1
    feb = selectors.stored_releases(partnership=partnership)["2026-02"]
    assert (disclosure.WHOLE, None) in feb.groups  # 26 answers to February: the total was shown
    # Raising the smallest group later does not take back what February's release showed, and March's release
    # (made with k=10 and checked against February's) keeps the whole period hidden: 29 - 26 = March.
    services.form_update(by=coordinator, form=form, fields={"min_group_size": 15})
    released = selectors.results(partnership=partnership, today=datetime.date(2026, 4, 2))
    assert released.whole is not None and not released.whole.shown
    assert {f.label: f.shown for f in released.by_month} == {
        "January 2026": True,
        "February 2026": True,
        "March 2026": False,
    }


def test_the_scheduled_job_keeps_the_months_that_have_ended() -> None:
    from joinedup.core.jobs import job_enqueue, job_run_here
    from joinedup.voice.jobs import RELEASES_JOB
    from joinedup.voice.models import FeedbackRelease

    _partnership, _coordinator, form = feedback_setup()
    answers_in(form, 1, 14, year=2025)
    job = job_enqueue(kind=RELEASES_JOB, key="voice", title="Releases", by=None)
    job_run_here(str(job.pk))
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert list(FeedbackRelease.objects.values_list("month", flat=True)) == ["2025-01"]
