#!/usr/bin/env bash
# make bench: every benchmark on SQLite, then on a throwaway PostgreSQL server. Prints figures.
set -euo pipefail
cd "$(dirname "$0")"
py=../.venv/bin/python
pgdir=$(mktemp -d /tmp/kaufhaus-pg.XXXXXX)
trap 'bash ../tests/tools/pg.sh stop "$pgdir"' EXIT
pg_url=$(PG_DURABLE=1 bash ../tests/tools/pg.sh start "$pgdir")  # fsync and synchronous_commit on
for bench in goods.py till.py shifts.py network.py reports.py branches.py; do
  echo "== $bench =="
  $py "$bench" "$@"
  BENCH_DATABASE_URL="$pg_url" $py "$bench" "$@"
done
