"""Building assessment waves for tests: a partnership with member organisations, a wave, answers."""

from __future__ import annotations

import datetime
import random
from typing import Any

import yaml

from joinedup.analysis.instruments import shipped_instruments
from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.assessments.services import wave_results_compute
from joinedup.core.tokens import new_token, token_hash
from joinedup.surveys import services as survey_services
from joinedup.surveys.models import Response, Wave
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory


def instrument_data(key: str = "partnership-health") -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(shipped_instruments()[key].read_text(encoding="utf-8"))
    return data


def partnership_with_members(**kwargs: Any) -> tuple[Any, dict[str, Any]]:
    partnership = PartnershipFactory(**kwargs)
    orgs = {
        "trust": OrganisationFactory(name="Northshire Trust", sector="nhs"),
        "council": OrganisationFactory(name="County Council", sector="local_authority"),
        "charity": OrganisationFactory(name="Mind Northshire", sector="voluntary"),
    }
    for org in orgs.values():
        MembershipFactory(partnership=partnership, organisation=org)
    return partnership, orgs


def make_wave(partnership: Any, *, by: Any = None, key: str = "partnership-health", **kwargs: Any) -> Wave:
    options: dict[str, Any] = {
        "title": "Health check 2026",
        "opens": datetime.date(2026, 1, 1),
        "closes": datetime.date(2099, 3, 1),
        "min_group_size": 5,
        **kwargs,
    }
    return survey_services.wave_create(
        by=by,
        partnership=partnership,
        kind=ASSESSMENT_KIND,
        instrument_key=key,
        instrument=instrument_data(key),
        **options,
    )


def add_answers(
    wave: Wave,
    organisation: Any,
    count: int,
    *,
    level: int = 4,
    seed: int = 1,
    comment: str = "",
    profession: str = "nurse",
    compute: bool = True,
) -> None:
    """`count` submitted responses from `organisation`, answering every item around `level`; then the
    wave's results are computed (unless `compute=False`, for a caller adding many organisations at once)."""
    rng = random.Random(seed)
    keys = [item["key"] for d in wave.instrument["dimensions"] for item in d["items"]]
    Response.objects.bulk_create(
        [
            Response(
                wave=wave,
                resume_hash=token_hash(new_token()),
                organisation=organisation,
                sector=organisation.sector,
                profession=profession,
                role_level="frontline",
                answers={key: max(1, min(5, level + rng.choice((-1, 0, 0, 1)))) for key in keys},
                comments={"trust": comment} if comment else {},
                submitted_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
                submitted_on=datetime.date(2026, 1, 10),
            )
            for _ in range(count)
        ]
    )
    if compute:
        wave_results_compute(wave=wave)
