"""The demo's assessment waves show what they are meant to: a real power gap by sector, trust improving."""

import re

import pytest
from django.urls import reverse

from joinedup.demo.northshire import build_northshire
from joinedup.surveys.models import Wave
from tests.api_helpers import unfigure

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        built = build_northshire(seed=2026)
        yield built
        from django.core.management import call_command

        from joinedup.agreements.integrity import purge_allowed

        with purge_allowed():  # the demo's signed agreements too (their rows are otherwise kept)
            call_command("flush", interactive=False, verbosity=0)


def health_checks():
    return list(
        Wave.objects.filter(partnership__name__contains="Mental Health", instrument_key="partnership-health")
        .select_related("result")
        .order_by("opens")
    )


def mean(wave, key):
    return next(d["mean"] for d in wave.result.report["dimensions"] if d["key"] == key)


def test_three_health_checks_of_about_150_and_an_inter_professional_wave(demo):
    waves = health_checks()
    assert len(waves) == 3
    assert all(140 <= w.responses.filter(submitted_on__isnull=False).count() <= 160 for w in waves)
    assert all(w.result.respondents == w.responses.count() for w in waves)
    assert Wave.objects.filter(instrument_key="inter-professional", result__respondents__gt=50).count() == 1


def test_equality_and_power_gap_between_nhs_and_voluntary_sector(demo):
    for wave in health_checks():
        gaps = [g for g in wave.result.report["gaps"] if g["by"] == "sector" and g["dimension"] == "power"]
        assert len(gaps) == 1
        gap = gaps[0]
        assert gap["high"] == "NHS" and gap["low"] in {
            "Voluntary and community",
            "Service-user or carer group",
        }
        assert gap["to_discuss"] and gap["difference"] >= 0.75 and gap["p_value"] < 0.05
        sector = {g["group"]: g for g in wave.result.report["groups"]["sector"]}
        nhs = next(d for d in sector["NHS"]["dimensions"] if d["key"] == "power")
        voluntary = next(d for d in sector["Voluntary and community"]["dimensions"] if d["key"] == "power")
        assert nhs["mean"] - voluntary["mean"] >= 0.75


def test_trust_improves_wave_on_wave_and_the_page_shows_it(demo, client):
    first, second, third = health_checks()
    assert mean(first, "trust") < mean(second, "trust") < mean(third, "trust")
    assert mean(third, "trust") - mean(first, "trust") > 0.6
    client.login(email=demo["login"]["email"], password=demo["login"]["password"])
    page = client.get(reverse("assessments:results", args=[third.pk]) + "?by=sector")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Change since Partnership health check, spring 2025" in html
    assert "Equality and power" in html or "equality and power" in html.lower()
    power_gap = r"Equality and power</td>\s*<td[^>]*>Sector</td>\s*<td[^>]*>NHS scored higher than (Voluntary|Service-user)"
    assert re.search(power_gap, html)


def test_the_two_demo_attacks_fail(demo, client):
    """Northshire Homes vs its sector on the inter-professional wave, from the JSON the API serves; and no
    release follows one submission (releases come in batches of k)."""
    from django.contrib.auth import get_user_model

    wave = Wave.objects.get(title__startswith="Working across professions")
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    data = unfigure(client.get(f"/api/v1/waves/{wave.pk}/results").json())
    groups = {by: {g["group"]: g for g in gs} for by, gs in data["groups"].items()}
    assert groups["organisation"]["Northshire Homes"]["suppressed"]
    # Attack 1: the whole wave minus the shown organisations, or a sector minus its shown organisations.
    shown_orgs = sum(g["n"] for g in groups["organisation"].values() if not g["suppressed"])
    assert data["respondents"] - shown_orgs >= wave.min_group_size
    assert all(
        g["suppressed"] or g["n"] >= wave.min_group_size for gs in groups.values() for g in gs.values()
    )
    # Attack 2: one more answer gives no new release.
    assert data["release"]["number"] == 1
    from joinedup.assessments.selectors import release_due

    assert not release_due(wave=wave)
