"""The demo's feedback shows what it is meant to: about 400 answers over 12 months, two small months hidden,
comments published, withheld and waiting, a safeguarding concern for the trust's representative."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from joinedup.core.registry import needs_for
from joinedup.demo.northshire import build_northshire
from joinedup.voice import selectors
from joinedup.voice.models import FeedbackComment, FeedbackResponse

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        built = build_northshire(seed=2026)
        yield built
        from django.core.management import call_command

        from joinedup.agreements.integrity import purge_allowed

        with purge_allowed():
            call_command("flush", interactive=False, verbosity=0)


def test_twelve_months_of_about_400_answers_with_small_months_hidden(demo: Any) -> None:
    assert 380 <= FeedbackResponse.objects.count() <= 420
    released = selectors.results(partnership=demo["partnerships"]["mh"], today=datetime.date(2026, 12, 7))
    assert len(released.by_month) == 12
    hidden = [f.label for f in released.by_month if not f.shown]
    assert "February 2026" in hidden and "July 2026" in hidden
    assert sum(f.shown for f in released.by_month) >= 8


def test_comments_are_published_withheld_and_waiting_and_one_is_a_safeguarding_concern(demo: Any) -> None:
    statuses = set(FeedbackComment.objects.values_list("status", flat=True))
    assert statuses == {"published", "withheld", "waiting"}
    flagged = FeedbackComment.objects.get(safeguarding=True)
    assert flagged.status == "withheld"
    lead = demo["users"]["trust_rep"]
    titles = [n.title for n in needs_for(user=lead, today=datetime.date(2026, 12, 7))]
    assert any("safeguarding" in t for t in titles)
    assert FeedbackComment.objects.filter(themes__isnull=False).distinct().count() > 50
    screened = FeedbackComment.objects.filter(original__contains="Dr Patel").first()
    assert screened is not None and "Patel" not in screened.text


def test_the_demo_pages_show_the_hidden_months_and_the_public_page(client: Any, demo: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    partnership = demo["partnerships"]["mh"]
    client.force_login(demo["users"]["coordinator"])
    results = client.get(f"/voice/partnerships/{partnership.pk}/results/").content.decode()
    assert "Hidden to keep answers private" in results and "November 2026" in results
    queue = client.get(f"/voice/partnerships/{partnership.pk}/moderation/").content.decode()
    assert "Waiting for a moderator:" in queue
    client.logout()
    public = client.get(f"/voice/public/{partnership.pk}/")
    assert public.status_code == 200 and "What people said" in public.content.decode()


def test_every_we_did_points_at_the_decision_that_did_it(demo: Any) -> None:
    from joinedup.core.registry import records_resolve
    from joinedup.voice.models import YouSaidWeDid

    entries = list(
        YouSaidWeDid.objects.filter(partnership=demo["partnerships"]["mh"]).order_by("recorded_on")
    )
    assert len(entries) == 3
    found = records_resolve([(e.record_kind, e.record_id) for e in entries])
    titles = [found[(e.record_kind, e.record_id)].title.split(" (")[0] for e in entries]
    assert titles == [
        "Shared care plan target adopted",
        "Winter plan agreed",
        "Peer support workers in every hub",
    ]
    watched = records_resolve([("outcomes.indicator", e.indicator_id) for e in entries if e.indicator_id])
    assert sorted(r.title for r in watched.values()) == [
        "Days from referral to first contact",
        "People with a shared care plan",
    ]
