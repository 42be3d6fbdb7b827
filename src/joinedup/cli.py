"""The `joinedup` command: JoinedUp's manage.py.

Every Django management command runs as `joinedup <command>` beside the project's own
(`joinedup demo`, `joinedup import-organisations`, ...). `joinedup --help` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "joinedup"
    if len(argv) > 1 and argv[1] in {"-h", "--help"}:
        argv[1] = "help"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
