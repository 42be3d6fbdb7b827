"""`make bench` / `python -m benchmarks [--quick] [NAME ...]`: run every benchmarks/bench_*.py in turn.

Each benchmark times JoinedUp against a baseline measured in the same run and prints the ratios;
their figures, with the machine they came from, are in benchmarks/README.md.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    flags = [a for a in argv if a.startswith("-")]
    names = [a for a in argv if not a.startswith("-")]
    here = Path(__file__).resolve().parent
    modules = sorted(p.stem for p in here.glob("bench_*.py"))
    for name in names:
        if f"bench_{name}" not in modules and name not in modules:
            print(f"no benchmark called {name}; there are: {', '.join(modules)}", file=sys.stderr)
            return 2
    chosen = [m for m in modules if not names or m in names or m.removeprefix("bench_") in names]
    for module in chosen:
        print(f"\n=== {module} ===", flush=True)
        saved = sys.argv
        sys.argv = [module, *flags]
        try:
            runpy.run_module(f"benchmarks.{module}", run_name="__main__")
        except SystemExit as exc:
            if exc.code not in (0, None):
                return int(exc.code) if isinstance(exc.code, int) else 1
        finally:
            sys.argv = saved
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
