#!/usr/bin/env bash
# The one command that runs every test: `npm test` (= bash scripts/test.sh).
#
# Phases, in order (fail fast):
#   deps    scripts/system-deps.sh (chromium, postgresql, redis-server; apt-get as root)
#   static  npm run typecheck, npm run lint
#   unit    vitest on in-memory PGlite (PGLITE_DIR=memory://, DATABASE_URL unset)
#   pg      vitest on a throwaway Postgres (database breakwater_test)
#   e2e     next build, the two-instance flag propagation test, then Playwright
#           against `next start` on a fresh database breakwater_e2e
#
# Local iteration:
#   ONLY=unit npm test              run only the listed phases (comma list: ONLY=static,unit)
#   SKIP_E2E=1 npm test             skip a phase (SKIP_DEPS, SKIP_STATIC, SKIP_UNIT, SKIP_PG, SKIP_E2E)
#   SKIP_BUILD=1 ONLY=e2e npm test  reuse the existing .next build
#   PG_PORT=55433 REDIS_PORT=6391   other ports for the throwaway Postgres / Redis
#   npm test -- e2e/auth.spec.ts    extra arguments go to `playwright test`
#
# Postgres and Redis run from .tmp/test-run/ (git-ignored) and are stopped on exit,
# whatever happened.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

PG_PORT=${PG_PORT:-55432}
REDIS_PORT=${REDIS_PORT:-6390}
export PG_PORT
RUN_DIR="$ROOT/.tmp/test-run"
export NEXT_TELEMETRY_DISABLED=1

want() {
  local p=$1 skip
  if [ -n "${ONLY:-}" ]; then
    [[ ",${ONLY}," == *",$p,"* ]]
  else
    skip="SKIP_${p^^}"
    [ -z "${!skip:-}" ]
  fi
}

summary=()
current=""
phase_start=0
child=""
services_started=0
t0=$SECONDS

begin() {
  current=$1
  phase_start=$SECONDS
  printf '\n==> %s\n' "$1"
}
done_phase() {
  summary+=("ok    $current ($((SECONDS - phase_start))s)")
  current=""
}

# Run a command in its own process group and wait, so the trap can stop it and
# everything it spawned (npx -> node -> workers, webServer) on INT/TERM.
run() {
  set -m
  "$@" &
  child=$!
  set +m
  local rc=0
  wait "$child" || rc=$?
  child=""
  return "$rc"
}

stop_services() {
  if [ -f "$RUN_DIR/redis.pid" ]; then
    local pid
    pid=$(cat "$RUN_DIR/redis.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    rm -f "$RUN_DIR/redis.pid"
  fi
  if [ "$services_started" = 1 ] || [ -d "$RUN_DIR/pg" ] || [ -f "$RUN_DIR/pgroot" ]; then
    bash scripts/pg-throwaway.sh stop "$RUN_DIR" || true
  fi
}

test_counts=()
count_tests() {
  # Adds "passed failed skipped" from a vitest or Playwright JSON report.
  local kind=$1 file=$2
  [ -f "$file" ] || return 0
  local line
  line=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
    if (process.argv[1] === "vitest") {
      console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests);
    } else {
      const s = r.stats;
      console.log(s.expected + s.flaky, s.unexpected, s.skipped);
    }' "$kind" "$file" 2>/dev/null || true)
  [ -n "$line" ] && test_counts+=("$line")
  return 0
}

# counted KIND REPORT cmd...: runs cmd, then adds its test counts even when it failed.
counted() {
  local kind=$1 file=$2 rc=0
  shift 2
  run "$@" || rc=$?
  count_tests "$kind" "$file"
  return "$rc"
}

finish() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [ -n "$child" ]; then
    kill -TERM -- "-$child" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 -- "-$child" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  stop_services
  if [ -n "$current" ]; then
    summary+=("FAIL  $current ($((SECONDS - phase_start))s)")
    [ "$rc" = 0 ] && rc=1
  fi
  local p=0 f=0 s=0 a b c
  for l in "${test_counts[@]}"; do
    read -r a b c <<<"$l"
    p=$((p + a)); f=$((f + b)); s=$((s + c))
  done
  printf '\n==> summary (%ss)\n' "$((SECONDS - t0))"
  for l in "${summary[@]}"; do echo "  $l"; done
  if [ "$rc" = 0 ]; then echo "  all phases passed"; else echo "  FAILED (exit $rc)"; fi
  echo "tests: $p passed, $f failed, $s skipped"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$ROOT/.tmp"
REPORT_DIR="$ROOT/.tmp/reports"
rm -rf "$REPORT_DIR"
mkdir -p "$REPORT_DIR"

# 1. System programs.
if want deps; then
  begin deps
  run bash scripts/system-deps.sh
  done_phase
fi

# 2. Types and lint.
if want static; then
  begin typecheck
  run npm run --silent typecheck
  done_phase
  begin lint
  run npm run --silent lint
  done_phase
fi

# 3. Unit/integration on the embedded database.
if want unit; then
  begin "unit (PGlite in memory)"
  counted vitest "$REPORT_DIR/vitest-unit.json" \
    env -u DATABASE_URL PGLITE_DIR=memory:// npx vitest run \
    --reporter=default --reporter=json --outputFile.json="$REPORT_DIR/vitest-unit.json"
  done_phase
fi

# 4. Throwaway Postgres + Redis.
if want pg || want e2e; then
  begin "services (Postgres :$PG_PORT, Redis :$REDIS_PORT)"
  stop_services # leftovers of an interrupted run
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR"
  services_started=1
  PG_URL=$(bash scripts/pg-throwaway.sh start "$RUN_DIR")
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  for db in breakwater_test breakwater_e2e; do
    "$PGBIN/psql" -q -v ON_ERROR_STOP=1 "$PG_URL" -c "CREATE DATABASE $db"
  done
  TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/breakwater_test"
  E2E_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/breakwater_e2e"
  echo "DATABASE_URL=$TEST_DATABASE_URL"
  echo "E2E DATABASE_URL=$E2E_DATABASE_URL"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log" --dir "$RUN_DIR"
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  echo "REDIS_URL=$REDIS_URL"
  done_phase
fi

# 5. Integration on real Postgres.
if want pg; then
  begin "integration (Postgres)"
  counted vitest "$REPORT_DIR/vitest-pg.json" \
    env -u PGLITE_DIR DATABASE_URL="$TEST_DATABASE_URL" npx vitest run \
    --reporter=default --reporter=json --outputFile.json="$REPORT_DIR/vitest-pg.json"
  done_phase
fi

# 6. End to end.
if want e2e; then
  e2e_env=(
    DATABASE_URL="$E2E_DATABASE_URL"
    AUTH_SECRET=some-test-secret
    AUTH_TRUST_HOST=true
    APP_ENV=development
    CRON_SECRET=test-cron-secret
    NEXT_TELEMETRY_DISABLED=1
  )
  if [ -z "${SKIP_BUILD:-}" ]; then
    begin "next build"
    run env -u PGLITE_DIR "${e2e_env[@]}" npx next build
    done_phase
  fi
  begin "flag propagation (two next start on one Postgres)"
  counted vitest "$REPORT_DIR/vitest-propagation.json" \
    env -u PGLITE_DIR E2E_BUILD_DIR=.next DATABASE_URL="$TEST_DATABASE_URL" npx vitest run lib/flags/propagation.test.ts \
    --reporter=default --reporter=json --outputFile.json="$REPORT_DIR/vitest-propagation.json"
  done_phase
  begin "e2e (Playwright)"
  counted playwright "$REPORT_DIR/playwright.json" \
    env -u PGLITE_DIR "${e2e_env[@]}" PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORT_DIR/playwright.json" \
    npx playwright test --reporter=list,json "$@"
  done_phase
fi
