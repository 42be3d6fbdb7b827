"""Where `joinedup demo` keeps its data. Plain Python: `joinedup.cli` reads it before Django starts."""

from __future__ import annotations

from pathlib import Path

DEMO_DATA_DIR = "demo-data"


def demo_paths(data_dir: str) -> tuple[Path, Path]:
    """The demo's SQLite database and e-mail folder inside DATA_DIR, as absolute paths (the command makes them)."""
    root = Path(data_dir).expanduser().resolve()
    return root / "joinedup.sqlite3", root / "emails"
