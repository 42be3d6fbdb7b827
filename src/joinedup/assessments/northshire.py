"""Assessment waves for the Northshire demo (found by `joinedup.demo.northshire` as an extension).

The community mental health partnership runs the partnership health check each spring for three years
(2024, 2025, 2026; about 150 people each) and the inter-professional survey once (autumn 2025). The
answers are generated so that two findings stand out, as they would in a real partnership:

* NHS staff rate "equality and power" well above voluntary-sector and service-user respondents (a gap
  to discuss in every wave);
* trust grows from wave to wave as the partnership matures.

Responses are written with bulk_create and each wave is scored once, so the demo stays quick to build.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

import yaml

from joinedup.analysis.instruments import shipped_instruments
from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.assessments.services import wave_results_compute
from joinedup.core.tokens import new_token, token_hash
from joinedup.register.choices import Profession as P
from joinedup.register.choices import Sector
from joinedup.surveys import services as survey_services
from joinedup.surveys.choices import Anonymity, RoleLevel
from joinedup.surveys.models import Response, Wave

D = datetime.date
PARTNERSHIP = "mh"

# (organisation key, people answering in each health-check wave; 0 = not a member then)
HEALTH_CHECK_PEOPLE = {
    "mh_trust": (44, 46, 45),
    "county": (30, 28, 31),
    "icb": (10, 9, 11),
    "pcn_kingsford": (12, 11, 12),
    "pcn_coast": (0, 8, 9),
    "mind": (19, 21, 22),
    "carers": (9, 10, 9),
    "recovery": (7, 0, 0),
    "su_forum": (9, 10, 8),
    "homes": (7, 6, 7),
}
HEALTH_CHECK_WAVES = [
    ("Partnership health check, spring 2024", D(2024, 3, 4), D(2024, 4, 12)),
    ("Partnership health check, spring 2025", D(2025, 3, 3), D(2025, 4, 11)),
    ("Partnership health check, spring 2026", D(2026, 3, 2), D(2026, 4, 10)),
]
# The average answer per dimension before any effect below.
BASE = {"need": 3.9, "purpose": 3.4, "commitment": 3.5, "trust": 2.8, "arrangements": 3.2, "learning": 3.0,
        "power": 3.2, "communication": 3.3}  # fmt: skip
TRUST_GROWTH = 0.45  # per wave
POWER_BY_SECTOR: dict[str, float] = {Sector.NHS: 0.55, Sector.VOLUNTARY: -0.6, Sector.SERVICE_USER: -0.75}

PROFESSIONS = {
    Sector.NHS: [P.MENTAL_HEALTH_NURSE, P.MENTAL_HEALTH_NURSE, P.PSYCHIATRIST, P.PSYCHOLOGIST,
                 P.OCCUPATIONAL_THERAPIST, P.MANAGER, P.COMMISSIONER],
    Sector.LOCAL_AUTHORITY: [P.SOCIAL_WORKER, P.SOCIAL_WORKER, P.CARE_WORKER, P.MANAGER, P.COMMISSIONER],
    Sector.VOLUNTARY: [P.PEER_WORKER, P.PEER_WORKER, P.VOLUNTEER, P.MANAGER],
    Sector.HOUSING: [P.HOUSING_OFFICER, P.MANAGER],
    Sector.SERVICE_USER: [P.SERVICE_USER],
}  # fmt: skip
GP_NETWORKS = {"pcn_kingsford", "pcn_coast"}
COMMENTS = {
    "trust": ["We are more honest with each other than we were a year ago.",
              "Trust depends too much on a few people; when they move on we start again."],
    "power": ["Decisions are still made in the trust's meetings before they reach the board.",
              "Voluntary partners are asked for views after the plan is already written.",
              "The new shared chairing has helped smaller partners speak up."],
    "communication": ["Minutes arrive weeks late.", "The monthly bulletin is useful."],
    "purpose": ["Everyone can say what the service is for now."],
}  # fmt: skip
INTER_PROFESSIONAL = ("Working across professions, autumn 2025", D(2025, 9, 15), D(2025, 10, 24))
# Inter-professional survey: who feels heard in decisions, by profession.
DECISIONS_BY_PROFESSION: dict[str, float] = {
    P.PSYCHIATRIST: 0.6,
    P.MENTAL_HEALTH_NURSE: 0.2,
    P.PEER_WORKER: -0.7,
    P.SOCIAL_WORKER: -0.4,
}
INTER_PROFESSIONAL_PEOPLE = {"mh_trust": 34, "county": 20, "mind": 14, "pcn_kingsford": 8, "homes": 4}


def _instrument(key: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(shipped_instruments()[key].read_text(encoding="utf-8"))
    return data


def _answer(rng: random.Random, mean: float, reverse: bool) -> int | str:
    if rng.random() < 0.05:
        return "dk"
    value = max(1, min(5, round(rng.gauss(mean, 0.8))))
    return 6 - value if reverse else value  # negatively worded items are answered the other way round


def _respondents(
    rng: random.Random,
    wave: Wave,
    org_key: str,
    organisation: Any,
    count: int,
    effects: Any,
    submitted: datetime.date,
) -> list[Response]:
    """`count` submitted responses from people in `organisation`; `effects(dimension, profession)` shifts means."""
    responses = []
    for _ in range(count):
        sector = organisation.sector
        choices = [P.GP, P.GP, P.NURSE, P.MANAGER] if org_key in GP_NETWORKS else PROFESSIONS[sector]
        profession = rng.choice(choices)
        if sector == Sector.SERVICE_USER:
            role_level = RoleLevel.SERVICE_USER
        else:
            role_level = rng.choices([RoleLevel.FRONTLINE, RoleLevel.MANAGER, RoleLevel.SENIOR], [6, 3, 1.5])[
                0
            ]
        person = rng.gauss(0, 0.35)
        answers: dict[str, Any] = {}
        comments: dict[str, str] = {}
        for dimension in wave.instrument["dimensions"]:
            mean = effects(dimension["key"], sector, profession) + person
            for item in dimension["items"]:
                answers[item["key"]] = _answer(rng, mean, item.get("reverse", False))
            if dimension["key"] in COMMENTS and rng.random() < 0.06:
                comments[dimension["key"]] = rng.choice(COMMENTS[dimension["key"]])
        moment = datetime.datetime.combine(
            submitted + datetime.timedelta(days=rng.randrange(30)),
            datetime.time(9 + rng.randrange(8)),
            datetime.UTC,
        )
        responses.append(
            Response(
                wave=wave,
                resume_hash=token_hash(new_token()),
                organisation=organisation,
                sector=sector,
                profession=profession,
                role_level=role_level,
                answers=answers,
                comments=comments,
                submitted_at=moment,
                submitted_on=moment.date(),
            )
        )
    return responses


def _wave(demo: Any, instrument_key: str, title: str, opens: datetime.date, closes: datetime.date) -> Wave:
    wave = survey_services.wave_create(
        by=demo.by,
        partnership=demo.partnerships[PARTNERSHIP],
        kind=ASSESSMENT_KIND,
        title=title,
        opens=opens,
        closes=closes,
        instrument_key=instrument_key,
        instrument=_instrument(instrument_key),
        audience="partner staff, volunteers and service-user members",
        anonymity=Anonymity.CONFIDENTIAL,
        min_group_size=5,
    )
    survey_services.wave_open(by=demo.by, wave=wave)
    survey_services.wave_close(by=demo.by, wave=wave)
    return wave


def extend_northshire(demo: Any) -> None:
    rng = demo.rng_for("assessments")
    organisations = demo.organisations
    waves: list[Wave] = []
    for index, (title, opens, closes) in enumerate(HEALTH_CHECK_WAVES):

        def effects(dimension: str, sector: str, profession: str, index: int = index) -> float:
            mean = BASE[dimension]
            if dimension == "trust":
                mean += TRUST_GROWTH * index
            if dimension == "power":
                mean += POWER_BY_SECTOR.get(sector, 0.0)
            return mean

        wave = _wave(demo, "partnership-health", title, opens, closes)
        batch: list[Response] = []
        for org_key, counts in HEALTH_CHECK_PEOPLE.items():
            batch += _respondents(rng, wave, org_key, organisations[org_key], counts[index], effects, opens)
        Response.objects.bulk_create(batch)
        waves.append(wave)

    def professional(dimension: str, sector: str, profession: str) -> float:
        mean = 3.4 if dimension != "information" else 2.9
        if dimension == "decisions":
            mean += DECISIONS_BY_PROFESSION.get(profession, 0.0)
        return mean

    title, opens, closes = INTER_PROFESSIONAL
    inter = _wave(demo, "inter-professional", title, opens, closes)
    batch = []
    for org_key, count in INTER_PROFESSIONAL_PEOPLE.items():
        batch += _respondents(rng, inter, org_key, organisations[org_key], count, professional, opens)
    Response.objects.bulk_create(batch)
    waves.append(inter)
    for wave in waves:
        wave_results_compute(wave=wave)
    demo.extra["assessment_waves"] = waves
