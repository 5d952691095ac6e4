#!/usr/bin/env bash
# Ensures the system programs the test suite needs are present:
#   /usr/bin/chromium                      (Playwright e2e, via executablePath)
#   /usr/lib/postgresql/*/bin/initdb       (throwaway Postgres, scripts/pg-throwaway.sh)
#   redis-server                           (throwaway Redis)
#   pgbouncer                              (the fault suite's transaction-mode pooler)
# As root on Debian it installs the missing ones with apt-get; otherwise it
# prints the command to run and exits 1. Never downloads a browser build.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
has_pgbouncer() { [ -x /usr/sbin/pgbouncer ] || command -v pgbouncer >/dev/null 2>&1; }
has_pgbouncer || missing+=(pgbouncer)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: chromium, postgresql, redis-server, pgbouncer present"
  exit 0
fi

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "system-deps: missing ${missing[*]}. Run as root:" >&2
  if [ "$(id -u)" = 0 ]; then echo "  $cmd" >&2; else echo "  sudo sh -c '$cmd'" >&2; fi
  exit 1
fi

# Verify.
[ -x /usr/bin/chromium ] || { echo "system-deps: /usr/bin/chromium still missing" >&2; exit 1; }
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || { echo "system-deps: initdb still missing" >&2; exit 1; }
command -v redis-server >/dev/null 2>&1 || { echo "system-deps: redis-server still missing" >&2; exit 1; }
has_pgbouncer || { echo "system-deps: pgbouncer still missing" >&2; exit 1; }
echo "system-deps: ok"
