#!/usr/bin/env bash
# The whole suite: once on SQLite, then again on PostgreSQL at 127.0.0.1:5432 when it answers.
# In CI (CI=true) PostgreSQL and Chromium are required: nothing that needs them may skip.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/pytest -p no:cacheprovider "$@")
PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/joinedup}"

pg_up() { .venv/bin/python - "$PG_URL" <<'PY'
import sys, psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}

echo "== tests on SQLite =="
env -u DATABASE_URL "${PYTEST[@]}" -m "not postgres"

if pg_up; then
  echo "== tests on PostgreSQL ($PG_URL) =="
  DATABASE_URL="$PG_URL" "${PYTEST[@]}"
elif [ "${CI:-}" = "true" ]; then
  echo "CI requires PostgreSQL at 127.0.0.1:5432" >&2
  exit 1
else
  echo "== PostgreSQL not running here: its tests were skipped (CI runs them) =="
fi
