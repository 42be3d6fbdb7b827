"""`joinedup network analyse`: the JSON of a small hand-checked network, the other formats, and errors (exit 2)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import CommandError, call_command

BIN = Path(sys.executable).parent / "joinedup"

# Five organisations; A rates B twice (averaged), D names itself (dropped), E has no ties.
TIES = """source,target,trust_reliability,trust_mission,trust_openness,value_power,value_involvement,value_resources
A,B,4,4,4,2,2,2
B,A,2,2,2,3,3,3
A,C,3,3,3,1,1,1
C,D,1,2,3,4,4,4
A,B,2,2,2,4,4,4
D,D,1,1,1,1,1,1
"""
NODES = """id,name,sector,responded
A,Alpha Trust,nhs,yes
B,Beta Council,council,yes
C,Charity C,voluntary,yes
D,Dee Housing,voluntary,no
E,Eeny Police,police,no
"""

# Worked by hand. Merged ties: A→B (trust 3, value 3), B→A (2, 3), A→C (3, 1), C→D (2, 4); D→D dropped.
# n = 5, ties = 4: density 4/(5·4) = 0.2; reciprocity: A→B and B→A have their reverse, 2/4 = 0.5.
# Undirected: A–B, A–C, C–D; degrees A2 B1 C2 D1 E0; Σ(2−d) = 4; /(4·3) = 1/3.
# Components {A,B,C,D} and {E}; one isolate (E).
# Reachable ordered pairs: A→B 1, A→C 1, A→D 2, B→A 1, B→C 2, B→D 3, C→D 1: 11/7.
# No triangle: transitivity 0. Trust (3+2+3+2)/4 = 2.5; value (3+3+1+4)/4 = 2.75.
# Sectors: A–B external, A–C external, C–D internal: E-I (2−1)/3 = 1/3.
# Betweenness: A on B→C and B→D; C on A→D and B→D; each 2/(4·3) = 1/6.
# Closeness (incoming): A 1/4; B 1/4; C (1 + 1/2)/4; D (1 + 1/2 + 1/3)/4 = 11/24; E 0.
# Trust received: A 2 (from B), B 3, C 3, D 2; value received: A 3, B 3, C 1, D 4.
EXPECTED_NETWORK = {
    "organisations": 5,
    "ties": 4,
    "density": 0.2,
    "reciprocity": 0.5,
    "degree_centralization": 1 / 3,
    "components": 2,
    "isolates": 1,
    "mean_distance": 11 / 7,
    "transitivity": 0.0,
    "trust": 2.5,
    "value": 2.75,
    "ei_index": 1 / 3,
    "betweenness_method": "exact",
    "self_ties_dropped": 1,
    "response_rate": 0.6,
    "non_respondents": 2,
}
EXPECTED_ORGANISATIONS = [
    ("A", "Alpha Trust", "nhs", 1, 2, 1 / 6, 1 / 4, 2.0, 3.0, True),
    ("B", "Beta Council", "council", 1, 1, 0.0, 1 / 4, 3.0, 3.0, True),
    ("C", "Charity C", "voluntary", 1, 1, 1 / 6, 3 / 8, 3.0, 1.0, True),
    ("D", "Dee Housing", "voluntary", 1, 0, 0.0, 11 / 24, 2.0, 4.0, False),
    ("E", "Eeny Police", "police", 0, 0, 0.0, 0.0, None, None, False),
]
ORG_KEYS = ("id", "name", "sector", "in_degree", "out_degree", "betweenness", "closeness", "trust", "value")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    ties, nodes = tmp_path / "ties.csv", tmp_path / "nodes.csv"
    ties.write_text(TIES)
    nodes.write_text(NODES)
    return ties, nodes


def analyse(*args: Any) -> str:
    out = io.StringIO()
    call_command("network", "analyse", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_json_matches_the_hand_worked_network(files: tuple[Path, Path]) -> None:
    report = json.loads(analyse(files[0], "--nodes", files[1]))
    assert list(report) == ["network", "organisations"]
    assert list(report["network"]) == list(EXPECTED_NETWORK)
    for key, value in EXPECTED_NETWORK.items():
        assert report["network"][key] == (
            pytest.approx(value, abs=1e-12) if isinstance(value, float) else value
        ), key
    assert [row["id"] for row in report["organisations"]] == list("ABCDE")
    for row, expected in zip(report["organisations"], EXPECTED_ORGANISATIONS, strict=True):
        assert list(row) == [*ORG_KEYS, "responded"]
        assert [row[k] for k in (*ORG_KEYS, "responded")] == pytest.approx(list(expected), abs=1e-12)


def test_json_without_nodes_has_exactly_the_documented_keys_and_nulls(tmp_path: Path) -> None:
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target\nx,y\ny,z\n")
    report = json.loads(analyse(ties))
    assert list(report["network"]) == [
        "organisations", "ties", "density", "reciprocity", "degree_centralization", "components", "isolates",
        "mean_distance", "transitivity", "trust", "value", "ei_index", "betweenness_method", "self_ties_dropped",
    ]  # fmt: skip
    assert report["network"]["trust"] is None
    assert report["network"]["value"] is None
    assert report["network"]["ei_index"] is None
    assert report["organisations"][0] == {
        "id": "x", "name": None, "sector": None, "in_degree": 0, "out_degree": 1,
        "betweenness": 0.0, "closeness": 0.0, "trust": None, "value": None,
    }  # fmt: skip
    assert report["organisations"][1]["betweenness"] == pytest.approx(1 / 2)  # y between x and z, /(2·1)


def test_ids_in_ties_but_not_in_nodes_are_added_with_unknown_name(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    ties = tmp_path / "more.csv"
    ties.write_text(TIES + "E,Z,1,1,1,1,1,1\n")
    report = json.loads(analyse(ties, "--nodes", files[1]))
    assert report["organisations"][-1]["id"] == "Z"
    assert report["organisations"][-1]["name"] is None
    assert report["network"]["isolates"] == 0
    assert report["network"]["response_rate"] == pytest.approx(3 / 6)


def test_csv_format_is_the_organisations_table(files: tuple[Path, Path]) -> None:
    rows = list(csv.DictReader(io.StringIO(analyse(files[0], "--nodes", files[1], "--format", "csv"))))
    assert [row["id"] for row in rows] == list("ABCDE")
    assert float(rows[3]["closeness"]) == pytest.approx(11 / 24)
    assert rows[4]["trust"] == ""


def test_text_format_is_a_readable_summary(files: tuple[Path, Path]) -> None:
    text = analyse(files[0], "--nodes", files[1], "--format", "text")
    assert "Density" in text and "0.2000" in text
    assert "Response rate" in text and "60%" in text
    assert "Alpha Trust" in text


def test_parquet_input(tmp_path: Path) -> None:
    path = tmp_path / "ties.parquet"
    pl.read_csv(io.StringIO(TIES)).write_parquet(path)
    report = json.loads(analyse(path))
    assert report["network"]["ties"] == 4
    assert report["network"]["trust"] == pytest.approx(2.5)


def test_quoted_fields_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "ties.csv"
    path.write_text('source,target,level\n"A, the first",B,2\n"B\nsecond line",A,3\nA,B,9\n')
    with pytest.raises(CommandError, match=r"line 5, column 'level': 9 is outside 0-5"):
        analyse(path)


@pytest.mark.parametrize(
    ("ties", "message"),
    [
        ("source,target,trust_mission\nA,B,3\nB,C,5\n", r"line 3, column 'trust_mission': 5 is outside 1-4"),
        ("source,target,trust_mission\nA,B,0\n", r"line 2, column 'trust_mission': 0 is outside 1-4"),
        ("source,target,frequency\nA,B,2\nB,C,lots\n", r"line 3, column 'frequency': 'lots' is not a number"),
        ("source,trust_mission\nA,3\n", r"line 1, column 'target': missing column\(s\) target"),
        ("source,target\nA,B\nB,C,4\n", r"line 3: expected 2 fields as in the header, found 3"),
        ("source,target,level\nA,B,1\nB,C\n", r"line 3: expected 3 fields as in the header, found 2"),
        ("source,target\nA,B\n,C\n", r"line 3, column 'source': value is missing"),
        ("", r"the file is empty"),
        ("source,target\nA,B\n1,2,3,4\n", r"line 3: expected 2 fields as in the header, found 4"),
    ],
)
def test_bad_ties_name_line_and_column(tmp_path: Path, ties: str, message: str) -> None:
    path = tmp_path / "ties.csv"
    path.write_text(ties)
    with pytest.raises(CommandError, match=message) as raised:
        analyse(path)
    assert raised.value.returncode == 2


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ("id,name\nA,x\nB,y\nA,z\n", r"line 4, column 'id': id 'A' appears more than once"),
        ("name\nx\n", r"line 1, column 'id': missing column"),
        ("id,responded\nA,yes\nB,maybe\n", r"line 3, column 'responded': 'maybe' is not yes/no"),
    ],
)
def test_bad_nodes_name_line_and_column(files: tuple[Path, Path], nodes: str, message: str) -> None:
    files[1].write_text(nodes)
    with pytest.raises(CommandError, match=message):
        analyse(files[0], "--nodes", files[1])


def test_an_unreadable_file_is_a_message_not_a_traceback(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(CommandError, match=r"ties.csv: cannot read: Permission denied") as raised:
        analyse(files[0])
    assert raised.value.returncode == 2


def test_header_only_ties_give_isolates(files: tuple[Path, Path]) -> None:
    files[0].write_text("source,target")
    report = json.loads(analyse(files[0], "--nodes", files[1]))
    assert report["network"]["ties"] == 0
    assert report["network"]["isolates"] == 5
    assert report["network"]["mean_distance"] is None


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "ties.csv"
    path.write_text("source,target,level\nA,B,1\n\nB,C,7\n\n")
    with pytest.raises(CommandError, match=r"line 4, column 'level'"):
        analyse(path)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBUG": "true"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_real_command_exits_2_on_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "ties.csv"
    path.write_text("source,target,value_power\nA,B,3\nB,A,x\n")
    result = run_cli("network", "analyse", str(path))
    assert result.returncode == 2
    assert "line 3, column 'value_power'" in result.stderr
    assert result.stdout == ""


def test_real_command_prints_json(files: tuple[Path, Path]) -> None:
    result = run_cli("network", "analyse", str(files[0]), "--nodes", str(files[1]))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["network"]["density"] == pytest.approx(0.2)


def test_real_command_rejects_bad_options(files: tuple[Path, Path]) -> None:
    assert run_cli("network", "analyse", str(files[0]), "--pivots", "0").returncode == 2
    assert run_cli("network", "analyse", str(files[0]), "--format", "xml").returncode == 2
    missing = run_cli("network", "analyse", str(files[0].parent / "nope.csv"))
    assert missing.returncode == 2
    assert "file not found" in missing.stderr


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


def test_the_lean_path_answers_exactly_as_the_management_command(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    ties, nodes = str(files[0]), str(files[1])
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target,trust_mission\nA,B,3\nB,C,5\n")
    cases = [
        [ties, "--nodes", nodes],
        [ties, "--nodes", nodes, "--format", "csv"],
        [ties, "--nodes", nodes, "--format", "text", "--pivots", "3", "--seed", "7"],
        [str(bad)],  # a file error: the lean path reports it as the command does
        [str(tmp_path / "nope.csv")],
        [str(tmp_path)],  # a folder, not a file
        [ties, "--format", "xml"],  # argument errors and help: the same parser prints them either way
        [ties, "--pivots", "0"],
        [ties, "--seed", "x"],
        [],
        ["--help"],
        [ties, "--verbosity", "2"],  # arguments the analyse parser does not know: handed to the command
        [ties, "extra.csv"],
    ]
    for args in cases:
        lean, django = run_cli("network", "analyse", *args), run_through_django("network", "analyse", *args)
        assert (lean.returncode, lean.stderr, lean.stdout) == (
            django.returncode,
            django.stderr,
            django.stdout,
        ), args
        assert "Traceback" not in lean.stderr, args
    assert run_cli("network", "analyse", str(bad)).stderr.startswith("CommandError: ")
    assert run_cli("network", "analyse", "--help").stdout.startswith("usage: joinedup network analyse")


LEAN_PROBE = (
    "import sys\n"
    "from joinedup.cli import lean_network_analyse\n"
    "code = lean_network_analyse(sys.argv[1:])\n"
    "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'django'), file=sys.stderr)\n"
)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["{one}"], 0),
        (["{one}", "--format", "text"], 0),
        (["--help"], 0),
        (["{one}", "--format", "xml"], 2),
        (["{bad}"], 2),
    ],
)
def test_the_lean_path_imports_no_django(tmp_path: Path, args: list[str], code: int) -> None:
    one, bad = tmp_path / "one.csv", tmp_path / "bad.csv"
    one.write_text("source,target\nA,B\n")
    bad.write_text("source,target,level\nA,B,9\n")
    argv = ["network", "analyse", *(a.format(one=one, bad=bad) for a in args)]
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "JOINEDUP_DEMO", "SECRET_KEY"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", LEAN_PROBE, *argv], capture_output=True, text=True, env=clean, timeout=120
    )
    assert result.stderr.strip().splitlines()[-1] == f"{code} []"


def test_the_installed_command_needs_no_secret(tmp_path: Path) -> None:
    one = tmp_path / "one.csv"
    one.write_text("source,target\nA,B\n")
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "JOINEDUP_DEMO", "SECRET_KEY"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [str(BIN), "network", "analyse", str(one)], capture_output=True, text=True, env=clean, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["network"]["organisations"] == 2
