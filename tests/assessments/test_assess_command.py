"""`joinedup assess score`, run as an evaluator runs it: the installed command in a subprocess."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from joinedup.analysis.instruments import load_instrument

BIN = Path(sys.executable).parent / "joinedup"
HEALTH = load_instrument("partnership-health")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBUG": "true"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def write_wave(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["org", "sector", *HEALTH.item_keys])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def wave(tmp_path: Path) -> Path:
    """30 respondents: 12 NHS who agree (4) with everything, 15 voluntary sector who disagree (2),
    3 from the council (a group small enough to hide). Reverse items answered consistently."""
    rows = []
    for index, (sector, level) in enumerate([("nhs", 4)] * 12 + [("vcs", 2)] * 15 + [("council", 3)] * 3):
        answers = {}
        for dimension in HEALTH.dimensions:
            for item in dimension.items:
                value = 6 - level if item.reverse else level
                answers[item.key] = value if index % 4 else max(1, min(5, value + (1 if level < 4 else -1)))
        answers["need_1"] = "dk" if index == 0 else answers["need_1"]
        rows.append({"org": f"{sector}-{index % 2}", "sector": sector, **answers})
    return write_wave(tmp_path / "wave.csv", rows)


def test_json_output_has_the_documented_shape(wave: Path) -> None:
    result = run_cli("assess", "score", str(wave), "--instrument", "partnership-health", "--by", "sector")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"instrument", "respondents", "dimensions", "groups", "gaps"}
    assert data["instrument"] == "partnership-health"
    assert data["respondents"] == 30
    assert [d["key"] for d in data["dimensions"]] == [d.key for d in HEALTH.dimensions]
    assert set(data["dimensions"][0]) == {"key", "n", "mean", "sd", "ci_low", "ci_high", "rwg", "band"}
    groups = {g["group"]: g for g in data["groups"]["sector"]}
    # The council group (3) is under 5, so it and the next smallest (nhs, 12) are hidden.
    assert groups["council"] == {"group": "council", "n": None, "suppressed": True, "dimensions": []}
    assert groups["nhs"]["suppressed"] is True
    assert groups["vcs"]["n"] == 15 and groups["vcs"]["suppressed"] is False
    assert data["gaps"] == []  # only one group left to compare


def test_gaps_and_their_welch_p_value(wave: Path) -> None:
    result = run_cli("assess", "score", str(wave), "--instrument", "partnership-health", "--by", "sector",
                     "--min-group", "3")  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    trust = next(g for g in data["gaps"] if g["dimension"] == "trust")
    assert (trust["by"], trust["high"], trust["low"]) == ("sector", "nhs", "vcs")
    assert trust["to_discuss"] is True
    # Independent check from the file itself.
    with wave.open() as f:
        rows = list(csv.DictReader(f))
    keys = HEALTH.dimension("trust").items

    def respondent(row: dict[str, str]) -> float:
        return float(np.mean([6 - int(row[i.key]) if i.reverse else int(row[i.key]) for i in keys]))

    nhs = [respondent(r) for r in rows if r["sector"] == "nhs"]
    vcs = [respondent(r) for r in rows if r["sector"] == "vcs"]
    assert trust["difference"] == pytest.approx(np.mean(nhs) - np.mean(vcs))
    assert trust["p_value"] == pytest.approx(stats.ttest_ind(nhs, vcs, equal_var=False).pvalue, rel=1e-7)


def test_without_by_there_are_no_groups_or_gaps(wave: Path) -> None:
    data = json.loads(run_cli("assess", "score", str(wave), "--instrument", "partnership-health").stdout)
    assert set(data) == {"instrument", "respondents", "dimensions"}
    need = data["dimensions"][0]
    assert need["n"] == 30  # one "dk" leaves four of five items answered


def test_csv_and_text_formats(wave: Path) -> None:
    out = run_cli("assess", "score", str(wave), "--instrument", "partnership-health", "--by", "sector",
                  "--format", "csv")  # fmt: skip
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(out.stdout.splitlines()))
    assert rows[0]["dimension"] == "need" and rows[0]["by"] == ""
    council = [r for r in rows if r["group"] == "council"]
    assert len(council) == 1 and council[0]["suppressed"] == "true" and council[0]["mean"] == ""
    text = run_cli("assess", "score", str(wave), "--instrument", "partnership-health", "--by", "sector",
                   "--format", "text")  # fmt: skip
    assert "council: hidden to protect a small group" in text.stdout
    assert "Develop and maintain trust" in text.stdout


def test_an_instrument_file_can_be_given_by_path(wave: Path, tmp_path: Path) -> None:
    from joinedup.analysis.instruments import shipped_instruments

    copy = tmp_path / "mine.yaml"
    copy.write_text(shipped_instruments()["partnership-health"].read_text())
    result = run_cli("assess", "score", str(wave), "--instrument", str(copy))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("org,need_1\nA,3\n", "line 1, column need_2: the item column is missing"),
        (None, "\nline 3, column trust_2: '7' is not an answer"),
        ("malformed", "line 3: malformed line"),
        ("unknown", "line 1, column trust_9: unknown column"),
    ],
)
def test_bad_files_name_row_and_column_and_exit_2(tmp_path: Path, content: str | None, message: str) -> None:
    header = ",".join(["org", *HEALTH.item_keys])
    good = ",".join(["A"] + ["3"] * 40)
    if content is None:
        bad = ",".join(["A"] + ["7" if key == "trust_2" else "3" for key in HEALTH.item_keys])
        content = f"{header}\n{good}\n{bad}\n"
    elif content == "malformed":
        content = f"{header}\n{good}\n{good[:-2]}\n"
    elif content == "unknown":
        content = f"{header},trust_9\n{good},3\n"
    path = tmp_path / "bad.csv"
    path.write_text(content)
    result = run_cli("assess", "score", str(path), "--instrument", "partnership-health")
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_usage_errors_exit_2(wave: Path, tmp_path: Path) -> None:
    cases = [
        (["--instrument", "partnership-health", "--by", "team"], "column team: there is no such column"),
        (["--instrument", "partnership-health", "--min-group", "2"], "at least 3"),
        (["--instrument", "nothing-like-this"], "no shipped instrument of that key"),
    ]
    for extra, message in cases:
        result = run_cli("assess", "score", str(wave), *extra)
        assert result.returncode == 2, extra
        assert message in result.stderr
    missing = run_cli("assess", "score", str(tmp_path / "nope.csv"), "--instrument", "partnership-health")
    assert (missing.returncode, "no such file" in missing.stderr) == (2, True)
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: x\n")
    result = run_cli("assess", "score", str(wave), "--instrument", str(broken))
    assert result.returncode == 2 and "'title' is missing" in result.stderr


def run_through_django(*args: str) -> subprocess.CompletedProcess[str]:
    """The management command itself, as `joinedup` ran it before the lean path."""
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "joinedup.settings"}
    code = (
        "import sys; sys.argv[0] = 'joinedup'\n"  # `python -c` leaves "-c" there
        "from django.core.management import execute_from_command_line\n"
        "execute_from_command_line(sys.argv)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def _rounded(value: object) -> object:
    """JSON with floats to 12 places: polars' parallel sums may differ in the last bits between runs
    (of the same command too)."""
    if isinstance(value, float):
        return round(value, 12)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _csv_rounded(text: str) -> list[list[object]]:
    def cell(value: str) -> object:
        try:
            return round(float(value), 12)
        except ValueError:
            return value

    return [[cell(v) for v in row] for row in csv.reader(text.splitlines())]


def test_the_lean_path_answers_exactly_as_the_management_command(wave: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(["org", *HEALTH.item_keys]) + "\n" + ",".join(["A", "7"] + ["3"] * 39) + "\n")
    cases = [
        [str(wave), "--instrument", "partnership-health", "--by", "sector", "--min-group", "3"],
        [str(wave), "--instrument", "partnership-health", "--by", "sector", "--format", "text"],
        [str(wave), "--instrument", "partnership-health", "--by", "org", "--format", "csv"],
        [str(bad), "--instrument", "partnership-health"],  # a file error (the lean path reports it)
        [str(wave), "--instrument", "nothing-like-this"],
        [str(wave), "--instrument", "partnership-health", "--min-group", "2"],  # argument errors and help:
        [str(wave), "--instrument", "partnership-health", "--verbosity", "2"],  # the lean path hands them
        [str(wave)],  # to Django
        ["--help"],
    ]
    for args in cases:
        lean, django = (
            run_cli("assess", "score", *args),
            run_through_django("assess", "score", *args),
        )
        assert (lean.returncode, lean.stderr) == (django.returncode, django.stderr), args
        if lean.stdout.startswith("{"):
            assert _rounded(json.loads(lean.stdout)) == _rounded(json.loads(django.stdout)), args
        elif lean.stdout.startswith("by,"):
            assert _csv_rounded(lean.stdout) == _csv_rounded(django.stdout), args
        else:
            assert lean.stdout == django.stdout, args
    assert (
        "CommandError: " in run_cli("assess", "score", str(bad), "--instrument", "partnership-health").stderr
    )


def test_the_lean_path_imports_no_django_and_needs_no_secret(wave: Path) -> None:
    code = (
        "import sys\n"
        "from joinedup.cli import lean_assess_score\n"
        f"code = lean_assess_score(['assess', 'score', {str(wave)!r}, '--instrument', 'partnership-health',"
        " '--by', 'sector'])\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'django'), file=sys.stderr)\n"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "JOINEDUP_DEMO", "SECRET_KEY", "DATABASE_URL"}
    }
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean, timeout=120
    )
    assert result.stderr.strip() == "0 []"
    assert json.loads(result.stdout)["respondents"] == 30
    # The installed command too, with no secret and not in debug mode.
    installed = subprocess.run(
        [str(BIN), "assess", "score", str(wave), "--instrument", "partnership-health"],
        capture_output=True, text=True, env=clean, timeout=120, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
