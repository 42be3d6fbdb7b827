"""The `joinedup` command: JoinedUp's manage.py.

Every Django management command runs as `joinedup <command>` beside the project's own
(`joinedup demo`, `joinedup import-organisations`, ...). `joinedup --help` lists them all.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEMO_DATA_DIR = "demo-data"


def demo_paths(data_dir: str) -> tuple[Path, Path]:
    """The demo's SQLite database and e-mail folder inside DATA_DIR, as absolute paths (the command makes them)."""
    root = Path(data_dir).expanduser().resolve()
    return root / "joinedup.sqlite3", root / "emails"


def demo_environment(args: list[str]) -> dict[str, str]:
    """The settings `joinedup demo` needs; they must be in the environment before Django reads its settings."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir", default=DEMO_DATA_DIR)
    parser.add_argument("--addr", default="127.0.0.1:8000")
    known, _ = parser.parse_known_args(args)
    db_path, emails = demo_paths(known.data_dir)
    env = {
        "JOINEDUP_DEMO": "true",
        "DATABASE_URL": f"sqlite:///{db_path}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(emails),
    }
    if "STATIC_ROOT" not in os.environ:
        # An empty folder: the demo serves static files from the finders; this keeps WhiteNoise quiet.
        env["STATIC_ROOT"] = str(db_path.parent / "static")
    host = known.addr.rpartition(":")[0].strip("[]")
    if host not in ("", "127.0.0.1", "localhost") and "ALLOWED_HOSTS" not in os.environ:
        env["ALLOWED_HOSTS"] = "*" if host in ("0.0.0.0", "::") else f"127.0.0.1,localhost,{host}"
    return env


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "joinedup"
    if len(argv) > 1 and argv[1] in {"-h", "--help"}:
        argv[1] = "help"
    if len(argv) > 1 and argv[1] == "demo":
        os.environ.update(demo_environment(argv[2:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
