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


def test_print_all(demo):
    for key, p in demo["partnerships"].items():
        found = flags_of(p)
        print(key, {c: f["evidence"] for c, f in found.items()})
    assert False
