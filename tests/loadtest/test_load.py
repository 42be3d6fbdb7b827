"""The short load and fault test (issue 15 item 5), 20 s each on the local PostgreSQL: two `joinedup serve`
processes and a `joinedup worker` under 50 respondents and 10 coordinators; then the same with one server and the
worker killed with SIGKILL half-way and started again. Pass: no 5xx, every acknowledged submission stored once
(some sent twice on purpose), nothing half-written, every background job finished. Latency and throughput are
reported, never asserted (`make loadtest` runs 60 s and writes loadtest/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadtest.run import report, run

pytestmark = pytest.mark.postgres


def test_nothing_is_lost_or_doubled_under_load_or_when_a_server_and_the_worker_are_killed(
    tmp_path: Path,
) -> None:
    steady, killed = run(20, kill_too=True, workdir=tmp_path)
    print(report([steady, killed]))
    for result in (steady, killed):
        assert result.server_errors == 0, result.stats.statuses
        assert not result.ledger.failures, result.ledger.failures
        checks = result.checks
        assert (
            checks["surveys_acknowledged"] > 0 and checks["feedback_acknowledged"] > 0
        )  # the load did something
        assert checks["surveys_stored"] == checks["surveys_acknowledged"], checks
        assert checks["feedback_stored"] == checks["feedback_acknowledged"], checks
        assert (
            checks["half_written"] == 0 and checks["jobs_unfinished"] == 0 and checks["jobs_failed"] == 0
        ), checks
        assert result.ledger.resent > 0  # some final pages were sent twice, and kept once
        assert sum(len(v) for k, v in result.stats.latencies.items() if k.endswith("page")) > 0
    assert (
        killed.stats.cut_off > 0
    )  # the kill really happened under load, and requests went to the other server
