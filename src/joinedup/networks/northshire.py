"""Demo relationship surveys for Northshire (found by joinedup.demo.northshire.extensions()).

* The community mental health partnership has two surveys a year apart. In the first the voluntary and
  community sector sits at the edge (few ties to or from it); in the second it is much better connected.
  The Coastal primary care network, which joined late, is an isolate in both: it answers but names nobody,
  and nobody names it. Northshire Homes does not answer the first survey (a non-respondent, not an isolate).
* The Health and Wellbeing Board runs one survey of the whole Northshire system (about 40 organisations,
  members and non-members alike); a few organisations do not answer.

Rows are written with bulk_create (the wave itself through the surveys service), with fixed dates and the
extension's own random generator, so the demo is the same on every build.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from joinedup.core.tokens import new_token, token_hash
from joinedup.networks.choices import RELATIONSHIP_KIND
from joinedup.networks.models import TieRating
from joinedup.register.choices import Sector
from joinedup.register.models import Organisation
from joinedup.surveys import services as survey_services
from joinedup.surveys.choices import Anonymity, WaveStatus
from joinedup.surveys.models import Invitation, Response, Wave

D = datetime.date
UTC = datetime.UTC
VCS = {Sector.VOLUNTARY, Sector.SERVICE_USER}
MH_ISOLATE = "pcn_coast"
MH_SILENT_WAVE_1 = "homes"


def extend_northshire(demo: Any) -> None:
    rng = demo.rng_for("networks")
    mh_keys = [
        "mh_trust",
        "county",
        "icb",
        "mind",
        "pcn_kingsford",
        "su_forum",
        "carers",
        "homes",
        "pcn_coast",
    ]
    mh_keys += ["healthwatch"]
    waves = {
        "mh_1": _wave(
            demo,
            "mh",
            "Working relationships 2025",
            D(2025, 5, 1),
            D(2025, 5, 31),
            mh_keys,
            _mh_ties(demo, mh_keys, rng, vcs_chance=0.15),
            silent={MH_SILENT_WAVE_1},
        ),
        "mh_2": _wave(
            demo,
            "mh",
            "Working relationships 2026",
            D(2026, 5, 1),
            D(2026, 5, 31),
            mh_keys,
            _mh_ties(demo, mh_keys, rng, vcs_chance=0.8),
            silent=set(),
        ),
    }
    system = [key for key, org in demo.organisations.items() if org.closed is None]
    waves["hwb_system"] = _wave(
        demo,
        "hwb",
        "Whole-system relationships 2026",
        D(2026, 6, 1),
        D(2026, 6, 30),
        system,
        _system_ties(demo, system, rng),
        silent=set(rng.sample(sorted(system), 5)) - {"county"},
    )
    demo.extra["relationship_waves"] = waves


def _mh_ties(demo: Any, keys: list[str], rng: random.Random, *, vcs_chance: float) -> list[tuple[str, str]]:
    """Statutory partners work closely together; ties touching the voluntary sector exist with `vcs_chance`."""
    ties = []
    for a in keys:
        for b in keys:
            if a == b or MH_ISOLATE in (a, b):
                continue
            vcs = demo.organisations[a].sector in VCS or demo.organisations[b].sector in VCS
            if rng.random() < (vcs_chance if vcs else 0.85):
                ties.append((a, b))
    return ties


def _system_ties(demo: Any, keys: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """More ties within a sector and between the big statutory bodies than elsewhere."""
    hubs = {"icb", "county", "mh_trust", "acute", "community", "cvs"}
    ties = []
    for a in keys:
        for b in keys:
            if a == b or "fire" in (a, b):  # the fire service is the isolate here
                continue
            same = demo.organisations[a].sector == demo.organisations[b].sector
            chance = (
                0.5
                if (a in hubs and b in hubs)
                else 0.25
                if (a in hubs or b in hubs)
                else 0.15
                if same
                else 0.04
            )
            if rng.random() < chance:
                ties.append((a, b))
    return ties


def _wave(
    demo: Any,
    partnership_key: str,
    title: str,
    opens: datetime.date,
    closes: datetime.date,
    keys: list[str],
    ties: list[tuple[str, str]],
    *,
    silent: set[str],
) -> Wave:
    rng = demo.rng_for(f"networks:{title}")
    wave = survey_services.wave_create(
        by=demo.by,
        partnership=demo.partnerships[partnership_key],
        kind=RELATIONSHIP_KIND,
        title=title,
        opens=opens,
        closes=closes,
        audience="One representative of each organisation",
        anonymity=Anonymity.CONFIDENTIAL,
        min_group_size=3,  # trust and value received shown for organisations rated by 3 or more
    )
    Wave.objects.filter(pk=wave.pk).update(status=WaveStatus.CLOSED)
    wave.status = WaveStatus.CLOSED
    sent = datetime.datetime.combine(opens, datetime.time(9), tzinfo=UTC)
    orgs: dict[str, Organisation] = {key: demo.organisations[key] for key in keys}
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                wave=wave,
                email=f"relationships.{key.replace('_', '-')}@northshire.example",
                organisation=org,
                token_hash=token_hash(new_token()),
                sent_at=sent,
            )
            for key, org in orgs.items()
        ]
    )
    answered = [(key, inv) for key, inv in zip(orgs, invitations, strict=True) if key not in silent]
    responses = Response.objects.bulk_create(
        [
            Response(
                wave=wave,
                invitation=inv,
                resume_hash=token_hash(new_token()),
                organisation=orgs[key],
                sector=orgs[key].sector,
                submitted_at=sent + datetime.timedelta(days=3 + i % 10),
                submitted_on=(sent + datetime.timedelta(days=3 + i % 10)).date(),
            )
            for i, (key, inv) in enumerate(answered)
        ]
    )
    Invitation.objects.filter(pk__in=[inv.pk for _, inv in answered]).update(answered=True)
    by_key = {key: response for (key, _), response in zip(answered, responses, strict=True)}
    rows = []
    for a, b in ties:
        if a not in by_key or b not in orgs:
            continue
        vcs = orgs[a].sector in VCS or orgs[b].sector in VCS
        base = 2 if vcs and "2025" in title else 3
        trust = [min(4, max(1, base + rng.choice((-1, 0, 0, 1)))) for _ in range(3)]
        value = [min(4, max(1, base + rng.choice((-1, 0, 0, 1)))) for _ in range(3)]
        rows.append(
            TieRating(
                response=by_key[a],
                target=orgs[b],
                frequency=rng.randint(1, 5),
                exchanges=sorted(
                    rng.sample(["information", "referrals", "planning", "staff", "delivery"], 2)
                ),
                level=rng.randint(1, 5),
                trust_reliability=trust[0],
                trust_mission=trust[1],
                trust_openness=trust[2],
                value_power=value[0],
                value_involvement=value[1],
                value_resources=value[2],
            )
        )
    TieRating.objects.bulk_create(rows)
    return wave
