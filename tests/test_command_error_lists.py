"""The evaluator commands list every problem in a file (the first 50, then how many more), each naming its
"line" as the web imports do; they exit 2 and write nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.analysis.instruments import load_instrument
from joinedup.analysis.reading import MAX_PROBLEMS
from joinedup.surveys.models import Response
from tests.assessments.helpers import make_wave, partnership_with_members
from tests.networks.test_command import TIES

HEALTH = load_instrument("partnership-health")
LINE = re.compile(r"\bline (\d+)\b")


def problems_of(error: CommandError) -> list[str]:
    return [p.strip() for p in str(error).splitlines()]


def assert_capped(lines: list[str], total: int) -> None:
    listed = [line for line in lines if LINE.search(line)]
    assert len(listed) == MAX_PROBLEMS, listed
    assert f"and {total - MAX_PROBLEMS} more problems" in lines
    assert not any(re.search(r"\brow \d", line) for line in lines)  # one word for a data line


# ---- assess score ---------------------------------------------------------------------------------------


def scores_file(tmp_path: Path, bad_lines: list[int], rows: int = 80) -> Path:
    keys = HEALTH.item_keys
    body = []
    for line in range(2, rows + 2):
        answers = ["7" if line in bad_lines else "3"] + ["3"] * (len(keys) - 1)
        body.append(",".join(["A", *answers]))
    path = tmp_path / "responses.csv"
    path.write_text("\n".join([",".join(["org", *keys]), *body]) + "\n")
    return path


def test_assess_score_lists_every_bad_line(tmp_path: Path) -> None:
    path = scores_file(tmp_path, bad_lines=[3, 9, 40])
    with pytest.raises(CommandError) as raised:
        call_command("assess", "score", str(path), "--instrument", "partnership-health")
    assert raised.value.returncode == 2
    named = [int(m.group(1)) for p in problems_of(raised.value) if (m := LINE.search(p))]
    assert named == [3, 9, 40]


def test_assess_score_stops_listing_at_fifty_and_says_how_many_more(tmp_path: Path) -> None:
    path = scores_file(tmp_path, bad_lines=list(range(2, 72)))  # 70 bad lines
    with pytest.raises(CommandError) as raised:
        call_command("assess", "score", str(path), "--instrument", "partnership-health")
    assert_capped(problems_of(raised.value), 70)


def test_assess_score_lists_every_malformed_line(tmp_path: Path) -> None:
    path = scores_file(tmp_path, bad_lines=[])
    text = path.read_text().splitlines()
    for index in (2, 5, 7):  # lines 3, 6 and 8 lose a field
        text[index] = text[index].rsplit(",", 1)[0]
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(CommandError) as raised:
        call_command("assess", "score", str(path), "--instrument", "partnership-health")
    named = [int(m.group(1)) for p in problems_of(raised.value) if (m := LINE.search(p))]
    assert named == [3, 6, 8]


# ---- assess import ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_assess_import_lists_every_answer_off_the_scale_and_imports_nothing(tmp_path: Path) -> None:
    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership, min_group_size=3)
    keys = [item["key"] for d in wave.instrument["dimensions"] for item in d["items"]]
    rows = [["Mind Northshire", *(["4"] * len(keys))] for _ in range(60)]
    for index in (1, 10, 38):  # lines 3, 12 and 40
        rows[index][2] = "9"
    path = tmp_path / "answers.csv"
    path.write_text("\n".join([",".join(["organisation", *keys]), *(",".join(r) for r in rows)]) + "\n")

    with pytest.raises(CommandError) as raised:
        call_command("assess", "import", str(wave.pk), str(path))

    assert raised.value.returncode == 2
    lines = problems_of(raised.value)
    named = [int(m.group(1)) for p in lines if (m := LINE.search(p))]
    assert named == [3, 12, 40]
    assert all(f"column {keys[1]}: '9' is not an answer" in p for p in lines if LINE.search(p))
    assert "Nothing was imported." in lines
    assert Response.objects.filter(wave=wave).count() == 0


@pytest.mark.django_db
def test_assess_import_lists_all_the_rows_problems_up_to_fifty(tmp_path: Path) -> None:
    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership, min_group_size=3)
    keys = [item["key"] for d in wave.instrument["dimensions"] for item in d["items"]]
    rows = [[f"Acme {i}", *(["4"] * len(keys))] for i in range(60)]
    path = tmp_path / "answers.csv"
    path.write_text("\n".join([",".join(["organisation", *keys]), *(",".join(r) for r in rows)]) + "\n")

    with pytest.raises(CommandError) as raised:
        call_command("assess", "import", str(wave.pk), str(path))

    lines = problems_of(raised.value)
    assert_capped(lines, 60)
    assert lines[1].startswith("line 2, column organisation: 'Acme 0' is not a member organisation")
    assert Response.objects.filter(wave=wave).count() == 0


# ---- network analyse --------------------------------------------------------------------------------------


def test_network_analyse_lists_every_problem_in_the_ties_file(tmp_path: Path) -> None:
    lines = TIES.splitlines()
    lines[2] = "B,A,2,2,9,3,3,3"  # line 3: trust_openness outside 1-4
    lines[3] = "A,,3,3,3,1,1,1"  # line 4: no target
    lines[5] = "A,B,2,x,2,4,4,4"  # line 6: not a number
    ties = tmp_path / "ties.csv"
    ties.write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError) as raised:
        call_command("network", "analyse", str(ties))

    assert raised.value.returncode == 2
    found = problems_of(raised.value)
    assert found == [
        f"{ties}, line 3, column 'trust_openness': 9 is outside 1-4",
        f"{ties}, line 4, column 'target': value is missing",
        f"{ties}, line 6, column 'trust_mission': 'x' is not a number",
    ]


def test_network_analyse_lists_fifty_and_says_how_many_more(tmp_path: Path) -> None:
    rows = ["source,target,level"] + [f"A{i},B{i},{9 if i % 2 else 3}" for i in range(150)]
    ties = tmp_path / "ties.csv"
    ties.write_text("\n".join(rows) + "\n")
    with pytest.raises(CommandError) as raised:
        call_command("network", "analyse", str(ties))
    assert_capped(problems_of(raised.value), 75)


def test_network_analyse_lists_every_line_with_the_wrong_number_of_fields(tmp_path: Path) -> None:
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target,level\nA,B,1\nA,B\nB,C,1,1\nC,D,2\n")
    with pytest.raises(CommandError) as raised:
        call_command("network", "analyse", str(ties))
    assert problems_of(raised.value) == [
        f"{ties}, line 3: expected 3 fields as in the header, found 2",
        f"{ties}, line 4: expected 3 fields as in the header, found 4",
    ]


def test_network_analyse_lists_every_problem_in_the_nodes_file(tmp_path: Path) -> None:
    ties = tmp_path / "ties.csv"
    ties.write_text(TIES)
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id,name,responded\nA,Alpha,yes\nB,Beta,perhaps\nA,Again,no\n,Nobody,no\n")
    with pytest.raises(CommandError) as raised:
        call_command("network", "analyse", str(ties), "--nodes", str(nodes))
    assert problems_of(raised.value) == [
        f"{nodes}, line 3, column 'responded': 'perhaps' is not yes/no (use 1/0, true/false or yes/no)",
        f"{nodes}, line 4, column 'id': id 'A' appears more than once",
        f"{nodes}, line 5, column 'id': value is missing",
    ]
