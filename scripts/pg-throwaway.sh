#!/usr/bin/env bash
# Throwaway Postgres for tests: trust auth, fsync off, 127.0.0.1 only,
# unix socket inside the cluster folder. Data is discarded on every start.
#
#   bash scripts/pg-throwaway.sh start <dir>   # initdb + start, prints DATABASE_URL
#   bash scripts/pg-throwaway.sh stop  <dir>   # fast shutdown (no error if not running)
#   bash scripts/pg-throwaway.sh url   <dir>   # prints postgres://postgres@127.0.0.1:PORT/postgres
#
# Fault injection on a running cluster (its data is kept):
#   bash scripts/pg-throwaway.sh down   <dir>  # stop the server (connections refused)
#   bash scripts/pg-throwaway.sh up     <dir>  # start it again on the same port
#   bash scripts/pg-throwaway.sh freeze <dir>  # SIGSTOP every server process: connections hang, nothing answers
#   bash scripts/pg-throwaway.sh thaw   <dir>  # SIGCONT them
#
# PG_PORT overrides the port (default 55432). As root, initdb/pg_ctl run as the
# `postgres` system user (initdb refuses root). If that user cannot reach <dir>
# (e.g. the repo lives under a 0700 home) or the socket path would be too long,
# the cluster goes into a mktemp folder and <dir>/pgroot records where.
set -euo pipefail

cmd=${1:-}; dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop|url|down|up|freeze|thaw <dir>" >&2; exit 2
fi
port=${PG_PORT:-55432}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "pg-throwaway: no Postgres server binaries under /usr/lib/postgresql (run scripts/system-deps.sh)" >&2
  exit 1
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

root_of() { if [ -f "$dir/pgroot" ]; then cat "$dir/pgroot"; else echo "$dir/pg"; fi; }

server_opts() { echo "-p $port -k '$1' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"; }

# The postmaster and its children (backends, checkpointer, walwriter…): a frozen postmaster alone still lets open connections answer.
server_pids() {
  local root; root=$(root_of)
  local main; main=$(head -n 1 "$root/data/postmaster.pid" 2>/dev/null || true)
  [ -n "$main" ] || { echo "pg-throwaway: no running server under $root" >&2; exit 1; }
  echo "$main $(pgrep -P "$main" | tr '\n' ' ')"
}

stop() {
  local root; root=$(root_of)
  if [ -f "$root/data/postmaster.pid" ]; then
    as_pg "'$pgbin/pg_ctl' -D '$root/data' -m fast -w -t 30 stop" >/dev/null || true
  fi
}

case "$cmd" in
  start)
    stop
    old=$(root_of)
    if [ -f "$dir/pgroot" ]; then rm -rf "$old"; rm -f "$dir/pgroot"; fi
    root="$dir/pg"
    rm -rf "$root"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "pg-throwaway: port $port on 127.0.0.1 is already in use (set PG_PORT)" >&2; exit 1
    fi
    if [ "$(id -u)" = 0 ]; then
      install -d -o postgres -g postgres "$root"
      if ! su postgres -s /bin/sh -c "test -w '$root'" 2>/dev/null || [ ${#root} -gt 80 ]; then
        rm -rf "$root"
        root=$(mktemp -d /tmp/breakwater-pg.XXXXXX)
        chown postgres:postgres "$root"
        echo "$root" > "$dir/pgroot"
      fi
    else
      mkdir -p "$root"
      if [ ${#root} -gt 80 ]; then
        rm -rf "$root"; root=$(mktemp -d /tmp/breakwater-pg.XXXXXX); echo "$root" > "$dir/pgroot"
      fi
    fi
    as_pg "'$pgbin/initdb' -D '$root/data' -U postgres --auth=trust -E UTF8 --no-sync --no-instructions" > "$root/initdb.log" 2>&1 \
      || { cat "$root/initdb.log" >&2; exit 1; }
    if ! as_pg "'$pgbin/pg_ctl' -D '$root/data' -l '$root/server.log' -w -t 60 -o \"$(server_opts "$root")\" start" >/dev/null; then
      echo "pg-throwaway: server failed to start; log:" >&2; tail -n 40 "$root/server.log" >&2 || true; exit 1
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    stop
    # A cluster placed outside <dir> (see pgroot) is removed here; <dir> is the caller's.
    if [ -f "$dir/pgroot" ]; then rm -rf "$(cat "$dir/pgroot")"; rm -f "$dir/pgroot"; fi
    ;;
  url)
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  down)
    stop
    ;;
  up)
    root=$(root_of)
    as_pg "'$pgbin/pg_ctl' -D '$root/data' -l '$root/server.log' -w -t 60 -o \"$(server_opts "$root")\" start" >/dev/null
    ;;
  freeze)
    # shellcheck disable=SC2046
    kill -STOP $(server_pids)
    ;;
  thaw)
    # Children first: a postmaster woken before them could see them as dead.
    pids=$(server_pids)
    # shellcheck disable=SC2086
    kill -CONT ${pids#* } 2>/dev/null || true
    kill -CONT "${pids%% *}"
    ;;
  *)
    echo "usage: $0 start|stop|url|down|up|freeze|thaw <dir>" >&2; exit 2
    ;;
esac
