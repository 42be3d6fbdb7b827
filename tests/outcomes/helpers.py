"""A partnership with an indicator made through the services, and figures recorded the same way."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from joinedup.outcomes import services
from joinedup.outcomes.models import Indicator
from joinedup.outcomes.periods import add_months
from tests.agreements.helpers import Place, make_place

TODAY = datetime.date(2026, 12, 7)
FIRST = datetime.date(2024, 1, 1)


def quarters(n: int, first: datetime.date = FIRST) -> list[datetime.date]:
    return [add_months(first, 3 * i) for i in range(n)]


@dataclass
class Setup:
    place: Place
    indicator: Indicator

    @property
    def coordinator(self) -> Any:
        return self.place.coordinator


def make_indicator(place: Place | None = None, **fields: Any) -> Setup:
    place = place or make_place(members=2)
    values = {
        "title": "Seen within two weeks",
        "kind": "process",
        "rba_question": "how_well",
        "frequency": "quarterly",
        "definition": "People seen within two weeks of referral, of all people referred.",
        "unit": "%",
        "direction": "increase",
        "owner": place.orgs[0],
        "target_value": 80.0,
        "target_date": datetime.date(2027, 3, 31),
        **fields,
    }
    indicator = services.indicator_create(by=place.coordinator, partnership=place.partnership, fields=values)
    return Setup(place, indicator)


def record(setup: Setup, values: list[float], first: datetime.date = FIRST) -> None:
    for period, value in zip(quarters(len(values), first), values, strict=True):
        services.measurement_record(
            by=setup.coordinator, indicator=setup.indicator, period=period, value=value, today=TODAY
        )
