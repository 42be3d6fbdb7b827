"""`joinedup indicator spc` as a command: through Django, through the installed `joinedup` (the lean path, which
never imports Django), the same answers either way, its help, and exit code 2 on bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

BIN = Path(sys.executable).parent / "joinedup"
SERIES = "period,value\n" + "".join(f"m{i:02},{v}\n" for i, v in enumerate([5, 6, 5, 7, 6, 5, 6, 14]))


@pytest.fixture
def series(tmp_path: Path) -> Path:
    path = tmp_path / "series.csv"
    path.write_text(SERIES)
    return path


def spc(*args: object) -> str:
    out = io.StringIO()
    call_command("indicator", "spc", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_the_management_command_prints_the_reading(series: Path) -> None:
    report = json.loads(spc(series, "--direction", "decrease"))
    assert report["points"][-1]["rule"] == "outside_limits"
    assert report["variation"] == "special_cause_concern"


def test_the_management_command_refuses_a_bad_file_with_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("period,value\na,1\nb,two\n")
    with pytest.raises(CommandError, match=r"row 3, column value: 'two' is not a number") as raised:
        spc(path)
    assert raised.value.returncode == 2


def run_cli(*args: str, settings: bool = False) -> subprocess.CompletedProcess[str]:
    """The installed command; without `settings` in an environment with no settings at all (no SECRET_KEY)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "JOINEDUP_DEMO", "SECRET_KEY"}}
    if settings:
        env["DEBUG"] = "true"  # what Django needs, for arguments the lean path hands over
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def run_through_django(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "joinedup.settings"}
    code = (
        "import sys; sys.argv[0] = 'joinedup'\n"
        "from django.core.management import execute_from_command_line\n"
        "execute_from_command_line(sys.argv)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_the_installed_command_needs_no_settings_and_exits_2_on_bad_input(
    series: Path, tmp_path: Path
) -> None:
    ok = run_cli("indicator", "spc", str(series), "--format", "text")
    assert ok.returncode == 0, ok.stderr
    assert "Variation (the last point): special cause, higher" in ok.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("period,amount\na,1\n")
    refused = run_cli("indicator", "spc", str(bad))
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr == (
        f"CommandError: {bad}:\n"
        "row 1, column amount: unknown column (the file has period, value and an optional rebase)\n"
        "row 1, column value: the column is missing\n"
    )


def test_help_documents_every_option() -> None:
    result = run_cli("indicator", "spc", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: joinedup indicator spc")
    for option in ("--direction", "--target", "--fix-after", "--screen-outliers", "--format", "--max-rows"):
        assert option in result.stdout
    listed = run_cli("--help")
    assert "indicator" in listed.stdout


def test_the_lean_path_answers_exactly_as_the_management_command(series: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("period,value\na,1\nb,x\nb,y\n")
    cases = [
        [str(series)],
        [str(series), "--format", "csv", "--fix-after", "4"],
        [str(series), "--format", "text", "--direction", "increase", "--target", "20", "--screen-outliers"],
        [str(bad)],
        [str(tmp_path / "nope.csv")],
        [str(tmp_path)],
        [str(series), "--format", "xml"],
        [str(series), "--fix-after", "1"],
        [],
        ["--help"],
        [str(series), "--verbosity", "2"],  # a common option: handed to the management command
        [str(series), "extra.csv"],
    ]
    for args in cases:
        lean, django = (
            run_cli("indicator", "spc", *args, settings=True),
            run_through_django("indicator", "spc", *args),
        )
        assert (lean.returncode, lean.stderr, lean.stdout) == (
            django.returncode,
            django.stderr,
            django.stdout,
        ), args
        assert "Traceback" not in lean.stderr, args


LEAN_PROBE = (
    "import sys\n"
    "from joinedup.cli import lean_indicator_spc\n"
    "code = lean_indicator_spc(sys.argv[1:])\n"
    "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'django'), file=sys.stderr)\n"
)


@pytest.mark.parametrize(
    ("args", "code"), [(["{ok}"], 0), (["--help"], 0), (["{bad}"], 2), (["{ok}", "--fix-after", "0"], 2)]
)
def test_the_lean_path_imports_no_django(tmp_path: Path, args: list[str], code: int) -> None:
    ok, bad = tmp_path / "ok.csv", tmp_path / "bad.csv"
    ok.write_text("period,value\na,1\nb,2\n")
    bad.write_text("period,value\na,1\nb,x\n")
    argv = ["indicator", "spc", *(a.format(ok=ok, bad=bad) for a in args)]
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "JOINEDUP_DEMO", "SECRET_KEY"}}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", LEAN_PROBE, *argv], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.stderr.strip().splitlines()[-1] == f"{code} []"
