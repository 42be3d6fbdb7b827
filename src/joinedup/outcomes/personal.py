"""What the outcomes app holds about a person (core.personal_data): the measurements they entered. Erasure keeps
them (they are the partnership's figures); the account they point at no longer names anyone."""

from __future__ import annotations

from typing import Any

from joinedup.outcomes.models import Measurement


def export(*, people: list[Any], user: Any) -> dict[str, Any]:
    if user is None:
        return {"measurements_entered": []}
    entered = Measurement.objects.filter(entered_by=user).select_related("indicator").order_by("pk")
    return {
        "measurements_entered": [
            {"indicator": m.indicator.title, "period": m.period.isoformat(), "value": m.value}
            for m in entered
        ]
    }


def erase(*, people: list[Any], user: Any, pseudonym: str) -> dict[str, int]:
    return {}
