"""Building Northshire: deterministic for a seed, independent of today, open to extensions."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction

from joinedup.demo import northshire
from joinedup.demo.northshire import build_northshire
from joinedup.register.models import Membership, Organisation, Person, TimelineEvent
from tests.demo.fake_app.northshire import extend_northshire

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "organisations": sorted(
            Organisation.objects.values_list(
                "name",
                "sector",
                "org_type",
                "ods_code",
                "charity_number",
                "company_number",
                "gss_code",
                "org_id",
                "cqc_provider_id",
                "area",
                "closed",
            )
        ),
        "people": sorted(Person.objects.values_list("name", "email", "profession", "job_title")),
        "memberships": sorted(
            (
                m.partnership.name,
                m.organisation.name,
                m.role,
                m.joined,
                m.left,
                tuple(sorted(p.name for p in m.representatives.all())),
            )
            for m in Membership.objects.select_related("partnership", "organisation").prefetch_related(
                "representatives"
            )
        ),
        "events": sorted(
            (e.date, e.kind, e.title, e.description, str(e.partnership or ""), str(e.organisation or ""))
            for e in TimelineEvent.objects.select_related("partnership", "organisation")
        ),
    }


def build_and_forget(seed: int) -> dict[str, list[tuple[Any, ...]]]:
    """Build in a savepoint, take a snapshot, roll back: each build starts from an empty database."""
    assert not Organisation.objects.exists()
    with transaction.atomic():
        build_northshire(seed=seed)
        snap = snapshot()
        transaction.set_rollback(True)
    assert not Organisation.objects.exists()
    return snap


def test_the_build_is_deterministic_and_the_seed_changes_only_the_people():
    first, second, other = build_and_forget(2026), build_and_forget(2026), build_and_forget(7)
    assert first == second
    assert len(first["organisations"]) > 35 and len(first["memberships"]) > 50
    assert first["organisations"] == other["organisations"]
    assert first["people"] != other["people"]


def test_the_data_never_depends_on_today():
    source = "\n".join(p.read_text() for p in Path(northshire.__file__).parent.glob("*.py"))
    assert not re.search(r"\b(today|now)\(\)", source)


def test_extensions_run_after_the_base_place(monkeypatch):
    seen: list[int] = []

    def extension(demo: northshire.Northshire) -> None:
        seen.append(Organisation.objects.count())
        demo.extra["extended"] = demo.rng_for("test").random()

    monkeypatch.setattr(northshire, "EXTENSIONS", [])
    northshire.register_extension(extension)
    result = build_northshire()
    assert seen == [result["counts"]["organisations"]]
    assert result["extended"] == northshire.Northshire(seed=2026, rng=None).rng_for("test").random()  # type: ignore[arg-type]


def test_apps_add_demo_data_through_their_own_northshire_module(monkeypatch):
    fake_apps = [SimpleNamespace(name="joinedup.register"), SimpleNamespace(name="tests.demo.fake_app")]
    monkeypatch.setattr(northshire.apps, "get_app_configs", lambda: fake_apps)
    monkeypatch.setattr(northshire, "EXTENSIONS", [])
    assert northshire.extensions() == [extend_northshire]
