"""The mutation score of each analysis/ module, from mutmut's results (`make mutation` runs this).

    python tests/analysis/mutation_report.py [--survivors]

Reads mutants/**/*.py.meta (mutmut 3's results, kept between runs) and the mutant names listed in
tests/analysis/mutation-equivalents.md, and prints a Markdown table: per module, mutants generated,
checked, killed, survived, equivalent, and the score = killed / (checked - equivalent). A timeout counts as
killed (the mutant made the tests hang, which a user would notice too); a mutant no test reaches counts
as survived. Exits 1 when a module that was checked scores under the goal (docs/testing.md), so the habit
holds: a survivor is either killed by a new test, or explained in the equivalents file.

Not collected by pytest (no test_ prefix); it needs no Django.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
META = ROOT / "mutants" / "src" / "joinedup" / "analysis"
EQUIVALENTS = Path(__file__).resolve().parent / "mutation-equivalents.md"
GOAL = 0.95

KILLED = {1, 3, 36, 24, -24, 152, 255}
SURVIVED = {0, 5, 33}


def equivalents() -> set[str]:
    return set(
        re.findall(r"`(joinedup\.analysis\.[^`]+__mutmut_\d+)`", EQUIVALENTS.read_text(encoding="utf-8"))
    )


def results() -> dict[str, dict[str, int | None]]:
    """module name -> mutant name -> exit code (None: not run yet)."""
    out: dict[str, dict[str, int | None]] = {}
    for meta in sorted(META.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            out[meta.name.removesuffix(".py.meta")] = codes
    return out


def main(argv: list[str]) -> int:
    if not META.is_dir():
        print("no mutation results: run `make mutation` first", file=sys.stderr)
        return 2
    known_equivalent = equivalents()
    rows = []
    survivors: dict[str, list[str]] = defaultdict(list)
    below_goal = []
    for module, codes in results().items():
        count: Counter[str] = Counter()
        for name, code in codes.items():
            if code is None:
                count["unchecked"] += 1
            elif name in known_equivalent:
                count["equivalent"] += 1
            elif code in KILLED:
                count["killed"] += 1
            elif code in SURVIVED:
                count["survived"] += 1
                survivors[module].append(name)
            else:  # suspicious, segfault, interrupted: counted as not killed, listed to look at
                count["survived"] += 1
                survivors[module].append(f"{name} (exit code {code})")
        judged = count["killed"] + count["survived"]
        score = count["killed"] / judged if judged else None
        if score is not None and score < GOAL:
            below_goal.append(module)
        rows.append((module, len(codes), count, score))
    print("| module | mutants | not run | equivalent | killed | survived | score |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for module, total, count, score in rows:
        shown = "–" if score is None else f"{100 * score:.1f} %"
        print(
            f"| {module} | {total} | {count['unchecked']} | {count['equivalent']} | {count['killed']} "
            f"| {count['survived']} | {shown} |"
        )
    if "--survivors" in argv:
        for module, names in survivors.items():
            print(f"\n{module}: {len(names)} surviving (`mutmut show NAME` shows the change)")
            for name in names:
                print(f"  {name}")
    if below_goal:
        print(f"\nunder {GOAL:.0%}: {', '.join(below_goal)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
