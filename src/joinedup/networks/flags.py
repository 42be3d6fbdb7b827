"""What the networks app tells the warning flags and the health page (core.registry.flag_facts): from the latest
relationship survey, each current member's place in the network (isolated, or at the edge: named by at most one
other and on no one's path between others) and the network's mean trust received, only as released
(analysis.rating_disclosure: after the wave closes, for organisations rated by enough others). A fixed number
of queries (those of `selectors.wave_network`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.analysis.flag_snapshot import NetworkPosition, TrustReading
from joinedup.networks.selectors import relationship_waves, wave_network
from joinedup.surveys.choices import WaveStatus

TRUST_SCALE = (1.0, 4.0)


def flag_facts(*, partnership: Any, today: datetime.date) -> dict[str, Any]:
    waves = [w for w in relationship_waves(partnership=partnership) if w.status != WaveStatus.DRAFT]
    closed = [w for w in waves if w.status == WaveStatus.CLOSED]
    if not waves:
        return {"network": (), "health.networks": {"wave": None}}
    wave = (closed or waves)[-1]
    network = wave_network(wave=wave)
    url = reverse("networks:wave", args=[wave.pk])
    members = set(partnership.memberships.filter(left__isnull=True).values_list("organisation_id", flat=True))
    positions = []
    for row in network.organisation_rows_in_order():
        if row["id"] not in members:  # invited or named, but not a member now
            continue
        isolated = row["degree"] == 0
        peripheral = not isolated and row["in_degree"] <= 1 and row["betweenness"] == 0
        positions.append(
            NetworkPosition(member=str(row["id"]), isolated=isolated, peripheral=peripheral, url=url)
        )
    mean_trust = network.metrics.network.get("trust")
    trust: tuple[TrustReading, ...] = ()
    if network.ratings.released and isinstance(mean_trust, (int, float)):
        trust = (
            TrustReading(
                source="network",
                wave=wave.title,
                url=url,
                score=round(float(mean_trust), 2),
                low=TRUST_SCALE[0],
                high=TRUST_SCALE[1],
            ),
        )
    rate = network.response_rate
    return {
        "network": tuple(positions),
        "trust": trust,
        "pages.network": url,
        "health.networks": {
            "wave": wave.title,
            "url": url,
            "closed": wave.status == WaveStatus.CLOSED,
            "organisations": len(network.nodes),
            "ties": len(network.source),
            "response_rate": None if rate is None else round(100 * rate),
            "density": network.metrics.network.get("density"),
            "mean_trust": trust[0].score if trust else None,
        },
    }
