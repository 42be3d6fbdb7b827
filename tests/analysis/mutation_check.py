"""Run chosen tests against mutmut's mutants in one process: a quick check between `make mutation` runs.

    python tests/analysis/mutation_check.py MODULE [FUNCTION,...|-] TEST_FILE...

MODULE is an analysis/ module (`score_output`); FUNCTION a comma-separated list of its functions
(`to_csv,_table`), or `-` for all of them. Every mutant of those functions in mutants/ (made by the last
`make mutation`) is switched on in turn and the test files are run with `-x`; the mutants they do not
kill are printed (marked when mutation-equivalents.md lists them), then a count; it fails only for
survivors the list does not explain. Unlike mutmut it runs the given files whole, for every mutant (mutmut
runs only the tests its stats pass saw reach the function), it records nothing in mutants/, and it
imports the test files once, so edit tests between runs, not during one. A mutant that runs over a
minute counts as killed, as mutmut's timeout would. Use it to see at once whether a new test kills a
survivor; the scores in docs/testing.md are mutmut's own unless said otherwise.

Running many pytest sessions in one process can leave state behind (modules, hypothesis, polars), so a
mutant that survives in-process is run again in a fresh `python -m pytest` process, as mutmut runs it, and
reported only if it survives there too (a disagreement is printed). It also refuses to run when the module
was not imported from mutants/ or a mutant's name is not in it (mutants/ older or newer than its .meta):
the trampoline would silently run the original code and every such mutant would look like a survivor.

Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EQUIVALENTS = Path(__file__).resolve().parent / "mutation-equivalents.md"


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    module, functions, tests = argv[0], argv[1], argv[2:]
    meta = ROOT / "mutants" / "src" / "joinedup" / "analysis" / f"{module}.py.meta"
    if not meta.is_file():
        print(f"no mutants of {module}: run `make mutation MUTATION_MODULES={module}` first", file=sys.stderr)
        return 2
    names = list(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    if functions != "-":
        wanted = functions.split(",")
        names = [n for n in names if any(f"x_{f}__mutmut_" in n or f"ǁ{f}__mutmut_" in n for f in wanted)]
    sys.path.insert(0, str(ROOT / "mutants" / "src"))  # the mutated copy, not the package
    os.chdir(ROOT)
    import pytest

    def too_long(*_: object) -> None:
        raise TimeoutError("the mutant ran for over a minute")

    signal.signal(signal.SIGALRM, too_long)

    def run(tests: list[str]) -> int:
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            return int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests]))

    os.environ["MUTANT_UNDER_TEST"] = ""
    if run(tests) != 0:  # the tests must pass without a mutant, or every mutant would look killed
        print("the tests fail with no mutant switched on: fix them first", file=sys.stderr)
        return 2
    problem = _not_switchable(module, names)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    listed = set(
        re.findall(r"`(joinedup\.analysis\.[^`]+__mutmut_\d+)`", EQUIVALENTS.read_text(encoding="utf-8"))
    )
    survivors = []
    for name in names:
        os.environ["MUTANT_UNDER_TEST"] = name
        signal.alarm(60)
        try:
            code = run(tests)
        except TimeoutError:
            code = 1
        signal.alarm(0)
        if code == 0 and _killed_in_a_fresh_process(name, tests):
            print(f"killed in a fresh process but not in this one (state between runs): {name}", flush=True)
        elif code == 0:
            survivors.append(name)
            print(f"survived: {name}{' (listed as equivalent)' if name in listed else ''}", flush=True)
    unexplained = [n for n in survivors if n not in listed]
    print(
        f"{len(names) - len(survivors)} of {len(names)} mutants killed, {len(survivors) - len(unexplained)} of the rest listed as equivalent"
    )
    return 1 if unexplained else 0


def _not_switchable(module: str, names: list[str]) -> str:
    """Why the mutants cannot be switched on in this process, or "" when they can."""
    loaded = sys.modules.get(f"joinedup.analysis.{module}")
    if loaded is None:
        return f"the tests never imported joinedup.analysis.{module}: they cannot reach its mutants"
    mutated = ROOT / "mutants" / "src"
    if not Path(loaded.__file__ or "").resolve().is_relative_to(mutated):
        return f"joinedup.analysis.{module} was imported from {loaded.__file__}, not from {mutated}"
    known = {
        key
        for value in vars(loaded).values()
        if isinstance(value, dict)
        for key in value
        if isinstance(key, str) and "__mutmut_" in key
    }
    unknown = [n for n in names if n.rpartition(".")[2] not in known]
    if unknown:
        return (
            f"{len(unknown)} mutant(s) named in the .meta are not in mutants/ (first: {unknown[0]}): "
            "mutants/ and its .meta disagree; re-run `make mutation` for this module"
        )
    return ""


def _killed_in_a_fresh_process(name: str, tests: list[str]) -> bool:
    env = {
        **os.environ,
        "MUTANT_UNDER_TEST": name,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "mutants" / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return True
    return done.returncode != 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
