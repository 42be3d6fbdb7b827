"""Scoring benchmark: a synthetic wave of 250,000 respondents x 40 items (10 million answers).

    python -m benchmarks.bench_scoring [--quick]

Times, in one run and on the same data:
- JoinedUp: `analysis.scoring.score` with breakdowns by organisation and by sector (polars);
- baseline: the same outputs computed with vectorised pandas (respondent scores, n, mean, SD, CI,
  item variances for rwg(J), per group), checked against JoinedUp's numbers;
- floor: one hand-written DuckDB SQL query for the means and SDs only (GROUPING SETS);
- the whole `joinedup assess score FILE --by organisation --by sector` process against reading the file
  with pandas and computing in-process, and the same command on a one-row file (its start-up).
Prints the ratios and peak memory (resident set size). pandas and duckdb are benchmark-only (dev extra).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from joinedup.analysis.instruments import Instrument, load_instrument
from joinedup.analysis.responses import read_responses
from joinedup.analysis.scoring import score
from joinedup.analysis.stats import mean_ci, rwg_j

BY = ["organisation", "sector"]


def synthetic_wave(respondents: int, instrument: Instrument, seed: int = 2026) -> pl.DataFrame:
    """Answers 1-5 driven by a per-organisation climate plus noise; about 4% blank and 3% "dk"."""
    rng = np.random.default_rng(seed)
    organisations = rng.integers(0, 40, respondents)
    sector_of = rng.integers(0, 8, 40)
    climate = rng.normal(3.2, 0.5, 40)
    person = rng.normal(0, 0.6, respondents)
    columns: dict[str, Any] = {
        "organisation": [f"org-{o:02d}" for o in range(40)],
        "sector": [f"sector-{s}" for s in sector_of],
    }
    attributes = pl.DataFrame(columns)[organisations.tolist()]
    professions = np.array([f"profession-{p:02d}" for p in range(12)])[rng.integers(0, 12, respondents)]
    frame: dict[str, Any] = {
        "respondent": np.arange(respondents),
        "organisation": attributes["organisation"],
        "sector": attributes["sector"],
        "profession": professions,
    }
    base = climate[organisations] + person
    for dimension in instrument.dimensions:
        for item in dimension.items:
            answer = np.clip(np.rint(base + rng.normal(0, 0.8, respondents)), 1, 5).astype(np.int8)
            if item.reverse:
                answer = (6 - answer).astype(np.int8)
            roll = rng.random(respondents)
            answer[roll < 0.04] = 0  # blank
            answer[(roll >= 0.04) & (roll < 0.07)] = 6  # don't know
            frame[item.key] = answer
    return pl.DataFrame(frame)


def write_csv(wave: pl.DataFrame, instrument: Instrument, path: Path) -> None:
    text = [
        pl.when(pl.col(k) == 6).then(pl.lit("dk")).when(pl.col(k) == 0).then(None).otherwise(pl.col(k).cast(pl.String)).alias(k)
        for k in instrument.item_keys
    ]  # fmt: skip
    wave.with_columns(text).write_csv(path)


def timed(function: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


# --- the pandas baseline ---------------------------------------------------------------------------


def pandas_scores(df: Any, instrument: Instrument) -> dict[str, Any]:
    """Same outputs as JoinedUp (n, mean, SD, CI, rwg(J) per dimension; overall and by each column)."""
    import pandas as pd

    lo, hi = instrument.scale.min, instrument.scale.max
    work = pd.DataFrame({c: df[c] for c in BY})
    masked = {}
    for d in instrument.dimensions:
        items = df[list(d.item_keys)]
        flipped = items.copy()
        for item in d.items:
            if item.reverse:
                flipped[item.key] = lo + hi - items[item.key]
        answered = items.notna().sum(axis=1)
        scored = answered * 2 >= len(d.items)
        work[d.key] = flipped.mean(axis=1).where(scored)
        for key in d.item_keys:
            masked[key] = items[key].where(scored)
    work = pd.concat([work, pd.DataFrame(masked)], axis=1)
    keys = [d.key for d in instrument.dimensions]
    out: dict[str, Any] = {}

    def finish(n: Any, mean: Any, sd: Any, variances: Any) -> dict[str, Any]:
        rows = {}
        for d in instrument.dimensions:
            ci = mean_ci(int(n[d.key]), float(mean[d.key]), float(sd[d.key]))
            s2 = float(variances[list(d.item_keys)].mean())
            rows[d.key] = (
                int(n[d.key]),
                float(mean[d.key]),
                float(sd[d.key]),
                ci,
                rwg_j(s2, len(d.items), 5),
            )
        return rows

    out["overall"] = finish(
        work[keys].count(), work[keys].mean(), work[keys].std(), work[list(instrument.item_keys)].var()
    )
    for column in BY:
        grouped = work.groupby(column, sort=True)
        n, mean, sd = grouped[keys].count(), grouped[keys].mean(), grouped[keys].std()
        variances = grouped[list(instrument.item_keys)].var()
        out[column] = {g: finish(n.loc[g], mean.loc[g], sd.loc[g], variances.loc[g]) for g in n.index}
    return out


def pandas_read(path: Path, instrument: Instrument) -> Any:
    """pandas at its quickest: answers straight to floats, "dk" and blanks as NaN (no range checks)."""
    import pandas as pd

    keys = list(instrument.item_keys)
    return pd.read_csv(path, na_values={k: ["dk"] for k in keys}, dtype={k: "float64" for k in keys})


# --- the DuckDB floor ------------------------------------------------------------------------------


def duckdb_query(instrument: Instrument) -> str:
    lo, hi = instrument.scale.min, instrument.scale.max
    scores = []
    for d in instrument.dimensions:
        values = [f"({lo + hi} - {i.key})" if i.reverse else i.key for i in d.items]
        answered = " + ".join(f"({i.key} IS NOT NULL)::INT" for i in d.items)
        total = " + ".join(f"coalesce({v}, 0)" for v in values)
        scores.append(
            f"CASE WHEN 2 * ({answered}) >= {len(d.items)} THEN ({total}) / ({answered}) END AS {d.key}"
        )
    stats = [f"count({d.key}), avg({d.key}), stddev_samp({d.key})" for d in instrument.dimensions]
    return (
        f"WITH s AS (SELECT organisation, sector, {', '.join(scores)} FROM wave) "
        f"SELECT organisation, sector, {', '.join(stats)} FROM s "
        "GROUP BY GROUPING SETS ((organisation), (sector), ())"
    )


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 respondents instead of 250,000")
    args = parser.parse_args(argv)
    import duckdb
    import pandas as pd

    respondents = 20_000 if args.quick else 250_000
    instrument = load_instrument("partnership-health")
    items = len(instrument.item_keys)
    print(f"Synthetic wave: {respondents:,} respondents x {items} items = {respondents * items:,} answers; "
          "40 organisations, 8 sectors, 12 professions")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "wave.csv"
        write_csv(synthetic_wave(respondents, instrument), instrument, path)
        print(f"CSV file: {path.stat().st_size / 2**20:.0f} MiB")

        # The whole command first, so its peak memory is its own (RUSAGE_CHILDREN).
        env = {**os.environ, "DEBUG": "true"}
        command = [str(Path(sys.executable).parent / "joinedup"), "assess", "score", str(path),
                   "--instrument", "partnership-health", "--by", "organisation", "--by", "sector"]  # fmt: skip
        cli_time, _ = timed(
            lambda: subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL), 3
        )
        cli_peak = peak_rss_mib(resource.RUSAGE_CHILDREN)
        # The same command on the first respondent only: what start-up (interpreter, imports) costs.
        one_row = Path(tmp) / "one-row.csv"
        with path.open("rb") as whole:
            one_row.write_bytes(whole.readline() + whole.readline())
        startup_command = [*command[:3], str(one_row), *command[4:]]
        startup_time, _ = timed(
            lambda: subprocess.run(startup_command, env=env, check=True, stdout=subprocess.DEVNULL), 3
        )

        read_time, wave = timed(lambda: read_responses(path, instrument, by=BY), 3)
        ours_time, report = timed(lambda: score(wave, instrument, by=BY, validate=False), 5)

        pandas_read_time, pdf = timed(lambda: pandas_read(path, instrument), 3)
        pandas_time, baseline = timed(lambda: pandas_scores(pdf, instrument), 3)

        con = duckdb.connect()
        arrow = wave.to_arrow()
        con.register("wave", arrow)
        query = duckdb_query(instrument)
        duck_time, duck_rows = timed(lambda: con.execute(query).fetchall(), 5)

    # Same outputs: compare every mean, SD and rwg(J) with the baseline, and the means with DuckDB.
    checked = 0
    for d in report.dimensions:
        n, mean, sd, _ci, rwg = baseline["overall"][d.key]
        assert d.n == n and np.isclose(d.mean, mean) and np.isclose(d.sd, sd) and np.isclose(d.rwg, rwg)
        checked += 1
    for column in BY:
        for group in report.groups[column]:
            for d in group.dimensions:
                n, mean, sd, _ci, rwg = baseline[column][group.group][d.key]
                assert (
                    d.n == n and np.isclose(d.mean, mean) and np.isclose(d.sd, sd) and np.isclose(d.rwg, rwg)
                )
                checked += 1
    overall_duck = next(r for r in duck_rows if r[0] is None and r[1] is None)
    assert np.isclose(overall_duck[3], report.dimensions[0].mean)
    print(f"Checked {checked} dimension results against pandas; DuckDB agrees on the means.")

    print()
    print(f"{'step':58} {'seconds':>8}")
    rows = [
        ("JoinedUp score(), by organisation and sector (polars)", ours_time),
        ("pandas baseline, same outputs (vectorised)", pandas_time),
        ("DuckDB floor, means and SDs only (one SQL query)", duck_time),
        ("JoinedUp read + check the CSV (polars)", read_time),
        ("pandas read the CSV", pandas_read_time),
        ("whole `joinedup assess score` process", cli_time),
        ("  of which start-up (the same command on a one-row file)", startup_time),
        ("pandas in-process, read + compute", pandas_read_time + pandas_time),
    ]
    for name, seconds in rows:
        print(f"{name:58} {seconds:8.3f}")
    print()
    print(f"pandas / JoinedUp scoring:       {pandas_time / ours_time:5.2f}x  (goal >= 1)")
    print(f"JoinedUp / DuckDB floor:         {ours_time / duck_time:5.2f}x  (goal <= 1.5)")
    print(
        f"CLI process / pandas in-process: {cli_time / (pandas_read_time + pandas_time):5.2f}x  (goal <= 2)"
    )
    print(f"Peak memory: `joinedup assess score` process {cli_peak:,.0f} MiB (goal < 2048); "
          f"this benchmark process {peak_rss_mib():,.0f} MiB")  # fmt: skip
    print(
        f"Machine: {os.cpu_count()} CPUs; polars {pl.__version__}, pandas {pd.__version__}, duckdb {duckdb.__version__}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
