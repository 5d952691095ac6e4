#!/usr/bin/env bash
# The one command that runs every test: `npm test` (= bash scripts/test.sh).
#
# Phases, in order (fail fast):
#   deps    scripts/system-deps.sh (chromium, postgresql, redis-server, pgbouncer; apt-get as root)
#   static  npm run typecheck, npm run lint
#   unit    vitest on in-memory PGlite (PGLITE_DIR=memory://, DATABASE_URL unset)
#   pg      vitest on a throwaway Postgres, connected as the app's least-privilege role
#           (breakwater_web) through PgBouncer in transaction mode (DATABASE_POOL_MODE=transaction;
#           the retention role too); migrations run as the owner role, directly, on breakwater_test,
#           and each test file gets its own copy of it (test/postgres-per-file.ts). The e2e, propagation
#           and faults phases connect directly.
#   e2e     next build, the two-instance flag propagation test, then Playwright
#           against `next start` on a fresh database breakwater_e2e (the faults phase
#           runs between the propagation test and Playwright). Playwright also
#           runs the quality gates: visual regression first (e2e/visual.spec.ts,
#           baselines in e2e/__screenshots__/), axe and reflow on every route for
#           every role (e2e/a11y.spec.ts, alongside the other specs), the post-deploy
#           smoke suite after those specs and alone (e2e/smoke.spec.ts runs `npm run smoke`
#           against this server), Lighthouse last and alone (e2e/lighthouse.spec.ts,
#           budgets in e2e/quality/budgets.json)
#   faults  the fault-injection suite (test/faults): two `next start` of the same build on a
#           Postgres of its own, with the database stopped and hung, Redis hung and refused,
#           payments failing and slow, duplicate cron delivery, kill -9 mid-job, email senders
#           racing on one queue (SMTP stand-in), breaker trips and resets across instances, and
#           backup -> erase -> restore by the runbook's commands.
#           ONLY=faults builds too (SKIP_BUILD=1 reuses .next); FAULTS_PG_PORT (25433: below the
#           kernel's ephemeral ports, which this phase's own traffic leaves in TIME_WAIT)
#           and FAULTS_APP_PORT (PROPAGATION_PORT+2, four ports) say where it runs
#
# Local iteration:
#   ONLY=unit npm test              run only the listed phases (comma list: ONLY=static,unit)
#   SKIP_E2E=1 npm test             skip a phase (SKIP_DEPS, SKIP_STATIC, SKIP_UNIT, SKIP_PG, SKIP_E2E, SKIP_FAULTS)
#   SKIP_BUILD=1 ONLY=e2e npm test  reuse the existing .next build
#   PG_PORT=55433 REDIS_PORT=6391   other ports for the throwaway Postgres / Redis
#   PGBOUNCER_PORT=55434            the pg phase's PgBouncer (default PG_PORT+1)
#   npm test -- e2e/auth.spec.ts    extra arguments go to `playwright test`
#   npm run test:visual:update      rebuild, then rewrite the visual baselines (look at them, commit them)
#
# Postgres, PgBouncer and Redis run from .tmp/test-run/ (git-ignored) and are stopped on exit,
# whatever happened.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

PG_PORT=${PG_PORT:-55432}
PGBOUNCER_PORT=${PGBOUNCER_PORT:-$((PG_PORT + 1))}
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
  if [ -f "$RUN_DIR/pgbouncer-dir" ]; then
    local bdir bpid
    bdir=$(cat "$RUN_DIR/pgbouncer-dir" 2>/dev/null || true)
    bpid=$(cat "$bdir/pgbouncer.pid" 2>/dev/null || true)
    if [ -n "$bpid" ] && kill -0 "$bpid" 2>/dev/null; then
      kill "$bpid" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$bpid" 2>/dev/null || break; sleep 0.2; done
    fi
    [ -n "$bdir" ] && rm -rf "$bdir"
    rm -f "$RUN_DIR/pgbouncer-dir"
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
if want pg || want e2e || want faults; then
  begin "services (Postgres :$PG_PORT, PgBouncer :$PGBOUNCER_PORT, Redis :$REDIS_PORT)"
  stop_services # leftovers of an interrupted run
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR"
  services_started=1
  PG_URL=$(bash scripts/pg-throwaway.sh start "$RUN_DIR")
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  # Least privilege, as in production (README, "Database roles"): an owner role (not a superuser) owns
  # the databases and runs the migrations, which create the NOLOGIN roles; the app and the retention job
  # then log in as members of those. Every Postgres phase below runs as the app's role.
  pg_at() { echo "postgres://$1@127.0.0.1:$PG_PORT/$2"; }
  "$PGBIN/psql" -q -v ON_ERROR_STOP=1 "$PG_URL" -c "CREATE ROLE breakwater_owner LOGIN CREATEROLE CREATEDB"
  for db in breakwater_test breakwater_e2e; do
    "$PGBIN/psql" -q -v ON_ERROR_STOP=1 "$PG_URL" -c "CREATE DATABASE $db OWNER breakwater_owner"
  done
  # One after the other: the first migration creates the cluster-wide roles, and two at once race to create
  # them ("duplicate key value violates unique constraint pg_authid_rolname_index").
  for db in breakwater_test breakwater_e2e; do
    env -u PGLITE_DIR DATABASE_URL="$(pg_at breakwater_owner $db)" DATABASE_OWNER_URL="$(pg_at breakwater_owner $db)" \
      npm run --silent db:migrate
  done
  "$PGBIN/psql" -q -v ON_ERROR_STOP=1 "$(pg_at breakwater_owner postgres)" \
    -c "CREATE ROLE breakwater_web LOGIN IN ROLE breakwater_app" \
    -c "CREATE ROLE breakwater_retention_job LOGIN IN ROLE breakwater_audit_retention"
  # What the README asks of the app's role behind a transaction-mode pooler, which refuses session settings at connect.
  "$PGBIN/psql" -q -v ON_ERROR_STOP=1 "$PG_URL" \
    -c "ALTER ROLE breakwater_web SET statement_timeout = '10s'" \
    -c "ALTER ROLE breakwater_web SET idle_in_transaction_session_timeout = '15s'"
  # PgBouncer in transaction mode in front of it, for the pg phase's app and retention roles (and the owner, which
  # creates the vault's table when lib/vault's test reaches a vault through the pooler). Any database name is
  # forwarded: each test file connects to a copy of its own. Idle server connections close after a few seconds so
  # the copy of a finished file can be dropped by the next one. It refuses to run as root, and as the `postgres`
  # user it must read its folder: a mktemp one, recorded for stop_services.
  if (exec 3<>"/dev/tcp/127.0.0.1/$PGBOUNCER_PORT") 2>/dev/null; then
    echo "port $PGBOUNCER_PORT on 127.0.0.1 is already in use (set PGBOUNCER_PORT)" >&2; exit 1
  fi
  bouncer_dir=$(mktemp -d /tmp/breakwater-pgbouncer.XXXXXX)
  chmod 755 "$bouncer_dir"
  echo "$bouncer_dir" >"$RUN_DIR/pgbouncer-dir"
  printf '"breakwater_web" ""\n"breakwater_retention_job" ""\n"breakwater_owner" ""\n' >"$bouncer_dir/users.txt"
  cat >"$bouncer_dir/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$PG_PORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $bouncer_dir/users.txt
pool_mode = transaction
default_pool_size = 10
max_client_conn = 1000
server_idle_timeout = 5
logfile = $bouncer_dir/pgbouncer.log
pidfile = $bouncer_dir/pgbouncer.pid
EOF
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres "$bouncer_dir"
    su postgres -s /bin/sh -c "pgbouncer -d '$bouncer_dir/pgbouncer.ini'"
  else
    pgbouncer -d "$bouncer_dir/pgbouncer.ini"
  fi
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PGBOUNCER_PORT") 2>/dev/null && break
    sleep 0.1
  done
  "$PGBIN/psql" -q -v ON_ERROR_STOP=1 "postgres://breakwater_web@127.0.0.1:$PGBOUNCER_PORT/postgres" -c "select 1" >/dev/null \
    || { tail -n 20 "$bouncer_dir/pgbouncer.log" >&2; exit 1; }
  pooled_at() { echo "postgres://$1@127.0.0.1:$PGBOUNCER_PORT/$2"; }
  TEST_DATABASE_URL=$(pg_at breakwater_web breakwater_test)
  TEST_POOLED_URL=$(pooled_at breakwater_web breakwater_test)
  TEST_OWNER_URL=$(pg_at breakwater_owner breakwater_test)
  TEST_POOLED_RETENTION_URL=$(pooled_at breakwater_retention_job breakwater_test)
  E2E_DATABASE_URL=$(pg_at breakwater_web breakwater_e2e)
  E2E_OWNER_URL=$(pg_at breakwater_owner breakwater_e2e)
  E2E_RETENTION_URL=$(pg_at breakwater_retention_job breakwater_e2e)
  echo "DATABASE_URL=$TEST_POOLED_URL through PgBouncer (owner, direct: $TEST_OWNER_URL)"
  echo "E2E DATABASE_URL=$E2E_DATABASE_URL (owner: $E2E_OWNER_URL)"
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
    env -u PGLITE_DIR DATABASE_URL="$TEST_POOLED_URL" DATABASE_POOL_MODE=transaction DATABASE_OWNER_URL="$TEST_OWNER_URL" \
    AUDIT_RETENTION_DATABASE_URL="$TEST_POOLED_RETENTION_URL" POSTGRES_DATABASE_PER_FILE=1 npx vitest run \
    --reporter=default --reporter=json --outputFile.json="$REPORT_DIR/vitest-pg.json"
  done_phase
fi

# 6. End to end (and the fault-injection suite, which shares its build).
if want e2e || want faults; then
  # The server itself gets no owner URL (playwright.config.ts): it starts as the app's role on a migrated database.
  e2e_env=(
    DATABASE_URL="$E2E_DATABASE_URL"
    DATABASE_OWNER_URL="$E2E_OWNER_URL"
    AUDIT_RETENTION_DATABASE_URL="$E2E_RETENTION_URL"
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
fi
if want e2e; then
  begin "flag propagation (two next start on one Postgres)"
  counted vitest "$REPORT_DIR/vitest-propagation.json" \
    env -u PGLITE_DIR E2E_BUILD_DIR=.next DATABASE_URL="$TEST_DATABASE_URL" npx vitest run lib/flags/propagation.test.ts \
    --reporter=default --reporter=json --outputFile.json="$REPORT_DIR/vitest-propagation.json"
  done_phase
fi
if want faults; then
  # Its own Postgres (it stops and freezes it) and its own Redis; one file at a time, two instances each.
  begin "faults (two next start; database, Redis and provider faults injected)"
  counted vitest "$REPORT_DIR/vitest-faults.json" \
    env -u PGLITE_DIR -u DATABASE_URL -u REDIS_URL E2E_BUILD_DIR=.next FAULTS_PG_PORT="${FAULTS_PG_PORT:-25433}" \
    FAULTS_APP_PORT="${FAULTS_APP_PORT:-$((${PROPAGATION_PORT:-3291} + 2))}" npx vitest run test/faults --no-file-parallelism \
    --reporter=default --reporter=json --outputFile.json="$REPORT_DIR/vitest-faults.json"
  done_phase
fi
if want e2e; then
  begin "e2e (Playwright)"
  counted playwright "$REPORT_DIR/playwright.json" \
    env -u PGLITE_DIR "${e2e_env[@]}" PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORT_DIR/playwright.json" \
    npx playwright test --reporter=list,json "$@"
  done_phase
fi
