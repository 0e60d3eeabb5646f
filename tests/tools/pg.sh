#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback, in a temporary folder.
#   tests/tools/pg.sh start DIR   → prints the admin URL (postgresql://postgres@127.0.0.1:PORT/postgres)
#   tests/tools/pg.sh stop DIR
# Tests run it without fsync (fast, thrown away). PG_DURABLE=1 (the benchmarks) keeps PostgreSQL's
# defaults: fsync on, synchronous_commit=on, as a store runs it.
set -euo pipefail
cmd=$1 dir=$2

bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  return 1
}

as_pg() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  if ! bindir >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "PostgreSQL is missing: sudo apt-get install postgresql" >&2; exit 1; }
    echo "Installing PostgreSQL (apt-get) …" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  bin=$(bindir)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  opts="-c max_connections=200"
  [ "${PG_DURABLE:-}" = 1 ] || opts="-F -c fsync=off -c synchronous_commit=off -c full_page_writes=off $opts"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-h 127.0.0.1 -p $port -k $dir $opts" start >/dev/null
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  bin=$(bindir)
  [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
esac
