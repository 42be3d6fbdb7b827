"""Adding a capability touches no other app: a throwaway app, installed by a settings module of its own, gets its
section on the partnership page, its path in the OpenAPI schema and its kind of survey wave (offered by the wave
form, stored, told when one closes) through the registries alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.test import Client
from joinedup.accounts.models import User
from joinedup.register.models import Partnership
from joinedup.register.roles import role_grant
import datetime
user = User.objects.create_user("lead@example.org", "a long enough password 1")
p = Partnership.objects.create(name="Seedbank Alliance", started=datetime.date(2026, 1, 1))
role_grant(by=None, user=user, partnership=p, role="member")
other = Partnership.objects.create(name="Elsewhere", started=datetime.date(2026, 1, 1))
client = Client(HTTP_HOST="localhost")
client.force_login(user)
page = client.get(f"/register/partnerships/{p.pk}/")
schema = client.get("/api/v1/openapi.json").json()
api = client.get(f"/api/v1/partnerships/{p.pk}/seedlings")
api_other = client.get(f"/api/v1/partnerships/{other.pk}/seedlings")
from django.core.exceptions import ValidationError
from joinedup.surveys import services
from joinedup.surveys.forms import WaveForm
kinds = dict(WaveForm().fields["kind"].choices)
try:
    wave = services.wave_create(by=None, partnership=p, kind="seedcount", title="Seedlings",
                                opens=datetime.date(2026, 1, 1), closes=datetime.date(2099, 1, 1))
except ValidationError as error:
    created, closed = str(error), None
else:
    services.wave_open(by=None, wave=wave)
    services.wave_close(by=None, wave=wave)
    from tests.core.throwaway.hooks import CLOSED
    created, closed = wave.kind, CLOSED == [wave.pk]
print(json.dumps({
    "kinds": kinds,
    "created": created,
    "closed": closed,
    "page_status": page.status_code,
    "page": page.content.decode(),
    "paths": sorted(schema["paths"]),
    "api": [api.status_code, api.content.decode()],
    "api_other": api_other.status_code,
}))
"""


def run(settings: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": "sqlite:///:memory:",
        "PYTHONPATH": str(ROOT),
        "TASKS_BACKEND": "immediate",
        "DEBUG": "true",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_new_app_registers_a_section_and_a_router_and_both_appear() -> None:
    with_app = run("tests.core.throwaway_settings")
    assert with_app["page_status"] == 200
    page = with_app["page"]
    assert '<h2 id="seedlings">Seedlings planted</h2>' in page
    assert "Seedbank Alliance has planted 3 seedlings." in page
    # in its registered order: after agreements (20), before working relationships (30)
    assert page.index('id="agreements"') < page.index('id="seedlings"') < page.index('id="relationships"')
    assert "/api/v1/partnerships/{partnership_id}/seedlings" in with_app["paths"]
    assert with_app["api"][0] == 200, with_app["api"]
    assert json.loads(with_app["api"][1])["seedlings"] == 3
    assert with_app["api_other"] == 404
    assert with_app["kinds"] == {
        "assessment": "Partnership assessment",
        "relationship": "Relationship survey",
        "seedcount": "Seedling count",
    }
    assert with_app["created"] == "seedcount"
    assert with_app["closed"] is True

    without = run("joinedup.settings")
    assert 'id="seedlings"' not in without["page"]
    assert "/api/v1/partnerships/{partnership_id}/seedlings" not in without["paths"]
    assert "seedcount" not in without["kinds"]
    assert "Choose a kind of survey." in without["created"]
