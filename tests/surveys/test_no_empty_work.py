"""No empty work: a state change that changes nothing writes no audit event (issue 11, part 5)."""

import pytest

from joinedup.core.models import AuditEvent
from joinedup.surveys import services
from joinedup.surveys.choices import WaveStatus
from tests.surveys.test_services import make_wave

pytestmark = pytest.mark.django_db


def verbs(wave):
    return list(
        AuditEvent.objects.filter(target_id=str(wave.pk)).order_by("pk").values_list("verb", flat=True)
    )


def test_closing_a_closed_wave_records_nothing_more():
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    services.wave_close(by=None, wave=wave)
    services.wave_close(by=None, wave=wave)
    wave.refresh_from_db()
    assert wave.status == WaveStatus.CLOSED
    assert verbs(wave) == ["wave.created", "wave.opened", "wave.closed"]


def test_opening_an_open_wave_records_nothing_more_but_a_new_open_link_is_a_change():
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    assert services.wave_open(by=None, wave=wave) is None
    assert verbs(wave) == ["wave.created", "wave.opened"]
    token = services.wave_open(by=None, wave=wave, open_link=True)
    assert token and verbs(wave).count("wave.opened") == 2
    wave.refresh_from_db()
    assert wave.open_link_hash


def test_closing_a_wave_someone_else_closed_meanwhile_records_nothing(client):
    wave = make_wave()
    services.wave_open(by=None, wave=wave)
    stale = type(wave).objects.get(pk=wave.pk)  # a page loaded while the wave was open
    services.wave_close(by=None, wave=wave)
    services.wave_close(by=None, wave=stale)
    assert verbs(wave).count("wave.closed") == 1
    assert stale.status == WaveStatus.CLOSED
