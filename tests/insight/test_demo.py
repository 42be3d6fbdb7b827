"""`joinedup flags` on the Northshire demo raises the flags the issue promises, each with its evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from joinedup.demo.northshire import build_northshire

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_northshire()
        transaction.set_rollback(True)


def flags_of(partnership) -> dict[str, dict[str, Any]]:
    out = StringIO()
    call_command("flags", str(partnership.pk), stdout=out)
    document = json.loads(out.getvalue())
    assert document["partnership"] == str(partnership.pk)
    return {f["code"]: f for f in document["flags"]}


@pytest.fixture(scope="module")
def flags(demo):
    return {key: flags_of(p) for key, p in demo["partnerships"].items()}


def test_the_mental_health_partnership_shows_its_five_promised_flags(flags):
    mh = flags["mh"]
    assert {
        "not_signed_by_all",
        "perception_gap",
        "fading_attendance",
        "outcome_concern",
        "dispute_unresolved",
    } <= set(mh)
    waiting = mh["not_signed_by_all"]["evidence"]["waiting"]
    assert (
        waiting[0]["title"] == "Northshire community mental health section 75 agreement"
        and waiting[0]["days"] > 30
    )
    gaps = mh["perception_gap"]["evidence"]["gaps"]
    assert any(
        g["title"].startswith("Equality and power") and g["low"] == "Service-user or carer group"
        for g in gaps
    )
    fading = {m["title"]: (m["absent"], m["of"]) for m in mh["fading_attendance"]["evidence"]["members"]}
    assert fading["Northshire Coastal Primary Care Network"] == (3, 4)
    concern = {i["title"]: i for i in mh["outcome_concern"]["evidence"]["indicators"]}
    assert concern["Days from referral to first contact"]["variation"] == "special_cause_concern"
    assert any(i["assurance"] == "consistent_fail" for i in concern.values())
    dispute = mh["dispute_unresolved"]["evidence"]["disputes"][0]
    assert dispute["status"] == "escalated" and dispute["url"].startswith("/governance/disputes/")


def test_the_forensic_partnership_is_overdue_for_review_and_reads_as_contract_like(flags):
    forensic = flags["forensic"]
    overdue = forensic["review_overdue"]["evidence"]["agreements"][0]
    assert (
        overdue["title"] == "Forensic mental health partnership terms of reference"
        and overdue["days_overdue"] > 0
    )
    criteria = forensic["contract_like"]["evidence"]["agreements"][0]["criteria_not_met"]
    assert "No fixed end date" in criteria and "Equality between partners" in criteria


def test_some_partnership_has_a_peripheral_member_and_overload(flags):
    edge = [
        m
        for f in flags.values()
        if "peripheral_member" in f
        for m in f["peripheral_member"]["evidence"]["members"]
    ]
    coastal = next(m for m in edge if m["title"] == "Northshire Coastal Primary Care Network")
    assert coastal["position"] == "isolated" and coastal["url"].startswith("/networks/waves/")
    assert all(not m["title"].isdigit() for m in edge)  # every one named: a current member
    heavy = flags["hwb"]["overload"]["evidence"]["sitting_in"]
    council = next(o for o in heavy if o["title"] == "Northshire County Council")
    assert council["kind"] == "organisation" and len(council["partnerships"]) == 5


def test_the_text_format_names_each_flag(demo):
    out = StringIO()
    call_command("flags", demo["partnerships"]["forensic"].name, "--format", "text", stdout=out)
    text = out.getvalue()
    assert "(review_overdue)" in text and "(contract_like)" in text and "Evidence:" in text
