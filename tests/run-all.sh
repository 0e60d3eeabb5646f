#!/usr/bin/env bash
# make test: the whole suite on SQLite, then again on a throwaway PostgreSQL server.
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
trap 'bash tests/tools/pg.sh stop "$pgdir"' EXIT
pg_url=$(bash tests/tools/pg.sh start "$pgdir")

status=0
echo "== SQLite =="
env -u DATABASE_URL -u TEST_DATABASE_URL .venv/bin/python -m pytest "$@" || status=$?
echo "== PostgreSQL =="
env -u DATABASE_URL TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest "$@" || status=$?
exit $status
