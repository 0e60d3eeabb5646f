#!/usr/bin/env bash
# make test: the whole suite on SQLite and, at the same time, on a throwaway PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive: the browser, and the tools that read back barcodes, PDFs and
# spreadsheets (LibreOffice converts the XLSX files to CSV).
missing=()
for tool in /usr/bin/chromium:chromium /usr/bin/zbarimg:zbar-tools /usr/bin/pdftotext:poppler-utils \
  /usr/bin/soffice:libreoffice-calc-nogui; do
  [ -x "${tool%%:*}" ] || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]} (apt-get) for the tests …"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing for the tests: sudo apt-get install ${missing[*]}" >&2; exit 1
  fi
fi

pgdir=$(mktemp -d /tmp/kaufhaus-pg.XXXXXX)
logs=$(mktemp -d /tmp/kaufhaus-tests.XXXXXX)
sqlite='' pg=''
trap 'kill $sqlite $pg 2>/dev/null || true; bash tests/tools/pg.sh stop "$pgdir"; rm -rf "$logs"' EXIT
pg_url=$(bash tests/tools/pg.sh start "$pgdir")

# Both runs at once: each is mostly one Python process, and the machine has a core for each. Each
# has its own temporary folder; their reports follow one after the other when both are done.
env -u DATABASE_URL -u TEST_DATABASE_URL .venv/bin/python -m pytest --basetemp="$logs/sqlite" "$@" \
  >"$logs/sqlite.log" 2>&1 &
sqlite=$!
env -u DATABASE_URL TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest --basetemp="$logs/pg" "$@" \
  >"$logs/pg.log" 2>&1 &
pg=$!
while kill -0 $sqlite 2>/dev/null || kill -0 $pg 2>/dev/null; do  # a line a minute: still running
  sleep 60
  echo "… SQLite $(grep -o '\[ *[0-9]*%\]' "$logs/sqlite.log" | tail -1)," \
    "PostgreSQL $(grep -o '\[ *[0-9]*%\]' "$logs/pg.log" | tail -1)"
done
status=0
wait $sqlite || status=$?
echo "== SQLite =="
cat "$logs/sqlite.log"
wait $pg || status=$?
echo "== PostgreSQL =="
cat "$logs/pg.log"
exit $status
