"""Benchmark: score a 250,000-respondent assessment wave into its WaveResult, and serve its results page.

    .venv/bin/python -m benchmarks.bench_results [--quick] [--respondents N] [--comment-share F] [--keep DIR]

A fresh SQLite database gets a `partnership-health` wave (40 items) with N submitted responses from 40
organisations in 8 sectors, 12 professions; about 4% of answers blank and 3% "dk"; a share of respondents
(default 5%) leave a comment. It then times:

- `wave_results_compute` (read every submitted response, score with every breakdown, count answers, store),
  and the previous row-by-row way of building the same frame and counts, for comparison;
- GET of the wave's results page by a coordinator (Django test client, 5 repeats, median), against a
  baseline measured in the same run: GET of the register's partnership list page. The page is also timed
  with the stored comments left out, to show what rendering every comment costs.

The goal (issue 4) is the results page in under 1 s for a wave of 250,000 respondents. Not part of the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

SECTORS = [
    "nhs",
    "local_authority",
    "voluntary",
    "independent",
    "housing",
    "police_justice",
    "education",
    "other",
]
PROFESSIONS = [
    "doctor",
    "gp",
    "nurse",
    "mental_health_nurse",
    "social_worker",
    "occupational_therapist",
    "psychologist",
    "psychiatrist",
    "pharmacist",
    "allied_health",
    "care_worker",
    "housing_officer",
]
ROLE_LEVELS = ["frontline", "manager", "senior", "volunteer"]


class PeakRss:
    """Highest resident set size seen (sampled every 5 ms from /proc) while the block runs, in MiB."""

    def __enter__(self) -> PeakRss:
        self.start = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._rss())

    @staticmethod
    def _rss() -> float:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed_median(function: Callable[[], Any], repeat: int = 5) -> tuple[float, list[float], Any]:
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, value


def create_wave(respondents: int, comment_share: float, seed: int = 2026) -> tuple[Any, Any]:
    """The partnership, its coordinator and the wave with `respondents` submitted responses."""
    import datetime

    import yaml

    from joinedup.accounts.models import User
    from joinedup.analysis.instruments import shipped_instruments
    from joinedup.core.choices import RoleKind
    from joinedup.register.models import Membership, Organisation, Partnership
    from joinedup.register.roles import role_grant
    from joinedup.surveys import services as survey_services
    from joinedup.surveys.choices import WaveKind
    from joinedup.surveys.models import Response

    rng = np.random.default_rng(seed)
    partnership = Partnership.objects.create(
        name="Benchmark partnership", kind="horizontal", started="2020-01-01"
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Benchmark organisation {i:02d}", sector=SECTORS[i % 8]) for i in range(40)
    )
    Membership.objects.bulk_create(
        Membership(partnership=partnership, organisation=o, joined=datetime.date(2020, 1, 1))
        for o in organisations
    )
    coordinator = User.objects.create_user(email="coordinator@example.org", password="benchmark-password-1")
    role_grant(by=None, user=coordinator, partnership=partnership, role=RoleKind.COORDINATOR)
    data = yaml.safe_load(shipped_instruments()["partnership-health"].read_text(encoding="utf-8"))
    wave = survey_services.wave_create(
        by=None,
        partnership=partnership,
        kind=WaveKind.ASSESSMENT,
        title="Benchmark health check",
        opens=datetime.date(2026, 1, 1),
        closes=datetime.date(2026, 3, 1),
        instrument_key="partnership-health",
        instrument=data,
    )
    dimensions = [(d["key"], [item["key"] for item in d["items"]]) for d in data["dimensions"]]
    keys = [k for _, items in dimensions for k in items]
    submitted = datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC)
    batch = 10_000
    for start in range(0, respondents, batch):
        n = min(batch, respondents - start)
        org = rng.integers(0, 40, n)
        climate = rng.normal(3.2, 0.5, 40)[org] + rng.normal(0, 0.6, n)
        values = np.clip(np.rint(climate[:, None] + rng.normal(0, 0.8, (n, len(keys)))), 1, 5).astype(int)
        roll = rng.random((n, len(keys)))
        professions = rng.integers(0, 12, n)
        roles = rng.integers(0, 4, n)
        commenting = rng.random(n) < comment_share
        comment_dimension = rng.integers(0, len(dimensions), n)
        rows = []
        for i in range(n):
            answers: dict[str, Any] = {}
            for j, key in enumerate(keys):
                if roll[i, j] >= 0.07:
                    answers[key] = int(values[i, j])
                elif roll[i, j] >= 0.04:
                    answers[key] = "dk"
            organisation = organisations[org[i]]
            comments = {}
            if commenting[i]:
                comments[dimensions[comment_dimension[i]][0]] = (
                    f"Comment from respondent {start + i}: the joint meetings help, but decisions are still "
                    "taken elsewhere and we hear about them late."
                )
            rows.append(
                Response(
                    wave=wave,
                    resume_hash=f"bench-{start + i}",
                    organisation=organisation,
                    sector=organisation.sector,
                    profession=PROFESSIONS[professions[i]],
                    role_level=ROLE_LEVELS[roles[i]],
                    answers=answers,
                    comments=comments,
                    submitted_at=submitted,
                )
            )
        Response.objects.bulk_create(rows, batch_size=2_000)
    return wave, coordinator


def row_by_row(wave: Any) -> tuple[Any, dict[str, dict[str, int]]]:
    """The previous way (before this benchmark): every response read as Python dicts, the frame built value by
    value, answers counted with a Counter per item. Scoring is the same `score()` call."""
    from joinedup.analysis.scoring import score
    from joinedup.assessments.services import BREAKDOWNS, responses_frame, wave_instrument
    from joinedup.surveys.models import Response

    instrument = wave_instrument(wave)
    rows = list(
        Response.objects.filter(wave=wave, submitted_at__isnull=False)
        .order_by("pk")
        .values(
            "answers",
            "comments",
            "respondent_name",
            "organisation__name",
            "sector",
            "profession",
            "role_level",
        )
    )
    frame = responses_frame(rows, instrument)
    report = score(frame, instrument, by=list(BREAKDOWNS), min_group=wave.min_group_size, validate=False)
    items = {
        key: dict(Counter(str(r["answers"][key]) for r in rows if key in r["answers"]))
        for key in instrument.item_keys
    }
    return report, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=250_000)
    parser.add_argument("--comment-share", type=float, default=0.05, help="share of respondents who comment")
    parser.add_argument("--quick", action="store_true", help="25,000 respondents instead of 250,000")
    parser.add_argument("--skip-old", action="store_true", help="do not time the previous row-by-row way")
    parser.add_argument("--keep", type=Path, help="keep the database in this directory")
    args = parser.parse_args()
    if args.quick:
        args.respondents = min(args.respondents, 25_000)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="joinedup-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "bench-results.sqlite3"
    db.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from joinedup.assessments.models import WaveResult
    from joinedup.assessments.services import wave_results_compute

    setup_test_environment()  # the test client's host, as in the tests
    settings.AXES_ENABLED = False
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    wave, coordinator = create_wave(args.respondents, args.comment_share)
    setup_seconds = time.perf_counter() - t0
    print(
        f"respondents: {args.respondents:,} × 40 items, 40 organisations, 8 sectors, 12 professions; "
        f"{args.comment_share:.0%} comment  (created in {setup_seconds:.1f} s; database: SQLite, {db})",
        flush=True,
    )

    with PeakRss() as memory:
        t0, c0 = time.perf_counter(), time.process_time()
        result = wave_results_compute(wave=wave)
        compute, compute_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert result.respondents == args.respondents
    print(
        f"wave_results_compute:          {compute:7.2f} s wall, {compute_cpu:6.2f} s CPU, "
        f"peak RSS {memory.peak:,.0f} MiB ({memory.peak - memory.start:+,.0f} MiB over {memory.start:,.0f})",
        flush=True,
    )
    if not args.skip_old:
        with PeakRss() as old_memory:
            t0, c0 = time.perf_counter(), time.process_time()
            old_report, old_items = row_by_row(wave)
            old, old_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert old_items == result.items and old_report.respondents == result.respondents
        print(
            f"previous row-by-row frame:     {old:7.2f} s wall, {old_cpu:6.2f} s CPU, "
            f"peak RSS {old_memory.peak:,.0f} MiB ({old_memory.peak - old_memory.start:+,.0f} MiB)  "
            f"ratio {old / compute:.1f}x (counts identical)",
            flush=True,
        )

    client = Client()
    client.force_login(coordinator)
    results_url = reverse("assessments:results", args=[wave.pk])
    list_url = reverse("register:partnership_list")

    def get(url: str) -> Any:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    get(list_url), get(results_url)  # warm-up: templates loaded, connections open
    baseline, baseline_times, _ = timed_median(lambda: get(list_url))
    page, page_times, response = timed_median(lambda: get(results_url))
    size = len(response.content)
    comments = len(result.comments)
    by_profession, _, _ = timed_median(lambda: get(results_url + "?by=profession"))
    WaveResult.objects.filter(pk=result.pk).update(comments=[])
    no_comments, _, bare = timed_median(lambda: get(results_url))
    print(f"baseline GET partnership list:  {baseline * 1000:7.1f} ms median  ({_ms(baseline_times)})")
    print(
        f"GET results page:              {page * 1000:7.1f} ms median  ({_ms(page_times)})  "
        f"ratio {page / baseline:.1f}x; {size / 2**20:.1f} MiB of HTML, {comments:,} comments"
    )
    print(f"GET results page ?by=profession: {by_profession * 1000:5.1f} ms median")
    print(
        f"GET results page, comments left out: {no_comments * 1000:.1f} ms median, "
        f"{len(bare.content) / 2**10:.0f} KiB of HTML  (so the comments cost {(page - no_comments) * 1000:.0f} ms)"
    )
    print(f"goal: results page under 1 s: {'met' if page < 1 else 'NOT met'}")
    print(
        f"load average while running: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    if not args.keep:
        from django.db import connection

        connection.close()
        db.unlink()
        workdir.rmdir()
    if page >= 1:
        sys.exit("the results page took 1 s or more")


def _ms(times: list[float]) -> str:
    return ", ".join(f"{t * 1000:.0f}" for t in times) + " ms"


if __name__ == "__main__":
    main()
