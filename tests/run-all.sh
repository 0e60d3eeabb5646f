#!/usr/bin/env bash
# make test: the whole suite on SQLite, then again on a throwaway PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Chromium (apt-get) for the browser tests …"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: sudo apt-get install chromium" >&2; exit 1
  fi
fi

pgdir=$(mktemp -d /tmp/kaufhaus-pg.XXXXXX)
trap 'bash tests/tools/pg.sh stop "$pgdir"' EXIT
pg_url=$(bash tests/tools/pg.sh start "$pgdir")

status=0
echo "== SQLite =="
env -u DATABASE_URL -u TEST_DATABASE_URL .venv/bin/python -m pytest "$@" || status=$?
echo "== PostgreSQL =="
env -u DATABASE_URL TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest "$@" || status=$?
exit $status
