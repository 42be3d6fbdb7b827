"""A large wave's network page while its background analysis runs: progress that updates by itself, then the
network. Scanned with axe-core (no serious or critical problems)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.networks import selectors
from joinedup.networks.selectors import WAVE_JOB
from tests.browser.test_journey import assert_accessible
from tests.browser.test_network_journey import answered_by_services
from tests.conftest import grant, login
from tests.factories import UserFactory
from tests.networks.helpers import relationship_wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_large_wave_progress_then_network(page: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "LARGE_WAVE", 3)
    wave, (nhs, council, charity, _) = relationship_wave()
    answered_by_services(wave, nhs, [council, charity])
    answered_by_services(wave, council, [nhs])
    member = UserFactory()
    grant(member, wave.partnership, "member")
    key = selectors.wave_network_key(wave=wave, exchange="", min_frequency=0)
    job = Job.objects.create(
        kind=WAVE_JOB,
        key=key,
        title=f"Network of {wave.title}",
        partnership=wave.partnership,
        params={"wave": wave.pk, "exchange": "", "min_frequency": 0},
        status=JobStatus.RUNNING,
        done=1,
        total=4,
        message="Finding shortest paths: 1 of 4 organisations done",
    )
    login(page, member.email)
    page.goto(f"/networks/waves/{wave.pk}/")
    page.get_by_text("25% done").wait_for()
    assert "worked out in the background" in page.inner_text("main")
    assert_accessible(page)
    # the analysis finishes in the background: the page notices by itself
    result = selectors.wave_network(wave=wave).to_dict() | {"positions": None}
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, result=result)
    page.get_by_role("link", name=re.compile("See the results")).click(timeout=10_000)
    page.wait_for_selector(".app-chart[data-vega-ready] svg", timeout=10_000)
    assert page.locator(".app-chart svg .mark-symbol.role-mark path").count() == 4
    assert "2 of the 4 organisations asked to answer did so" in page.inner_text("main")
    assert_accessible(page)
