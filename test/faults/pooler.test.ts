/**
 * Many instances behind a transaction-mode pooler, on the production build:
 * four `next start` instances reach one Postgres only through PgBouncer
 * (pool_mode = transaction, four server connections for the app's role), as
 * a serverless deployment does through its provider's pooled URL. Under a
 * mixed load of signed-in writes and reads and anonymous status reads, every
 * request succeeds, Postgres never sees more of the app's connections than
 * the pool allows, every write is there once, and the audit chain verifies.
 * Prints what it measured. See ./harness.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgbouncerBinary, startPgbouncer, watchSessions } from "@/test/fixtures/pgbouncer";
import { freeTcpPort } from "@/test/fixtures/postgres";
import { actionCode, callAction, FAULTS_APP_PORT, faultsEnabled, ops, serverActionId, startInstance, startWorld, timed, type FaultsWorld, type Instance } from "./harness";

const PASSWORD = "faults-pooler-password";
const POOL_SIZE = 4;
const WORKERS_PER_INSTANCE = 4;
const ROUNDS = 6;

describe.skipIf(!faultsEnabled || !pgbouncerBinary)("four instances behind PgBouncer in transaction mode (production build)", () => {
  let world: FaultsWorld;
  let instances: Instance[] = [];
  let poolSize = 0;

  beforeAll(async () => {
    let pooledEnv: Record<string, string> = {};
    world = await startWorld({
      password: PASSWORD,
      prepare: async ({ db, onStop }) => {
        // Through a transaction pooler the session settings can't be sent at connect: the role carries them (README).
        await db.sql.unsafe("alter role breakwater_web set statement_timeout = '10s'");
        await db.sql.unsafe("alter role breakwater_web set idle_in_transaction_session_timeout = '15s'");
        const bouncer = await startPgbouncer({ postgresPort: db.pg.port, port: await freeTcpPort(), poolSize: POOL_SIZE, roles: ["breakwater_web"] });
        onStop(() => bouncer.stop());
        poolSize = bouncer.poolSize;
        pooledEnv = { DATABASE_URL: bouncer.url("breakwater_web", "breakwater_faults"), DATABASE_POOL_MODE: "transaction" };
        return pooledEnv;
      },
    });
    const more = await Promise.all([startInstance(world.db, FAULTS_APP_PORT + 2, pooledEnv), startInstance(world.db, FAULTS_APP_PORT + 3, pooledEnv)]);
    world.onStop(() => Promise.all(more.map((i) => i.stop())));
    instances = [...world.instances, ...more];
  }, 180_000);

  afterAll(() => world?.stop());

  it("answers every request, never exceeds the pool's server connections, and keeps every write and the audit chain", { timeout: 240_000 }, async () => {
    const createProject = serverActionId("app/(app)/projects/actions.ts", "createProject");
    const users = await Promise.all(instances.map(() => world.createUser()));
    const cookies = await Promise.all(instances.map((instance, i) => world.signIn(instance, users[i]!.email)));
    // From here on only the instances use the app's role: this process's own connections would count as theirs.
    const { closeDb } = await import("@/lib/database");
    await closeDb();

    // Postgres's own count of the app role's sessions, sampled through the load (directly, the four instances would open up to 40).
    const sessions = watchSessions(world.db.sql, "breakwater_web");

    const failures: string[] = [];
    let writes = 0;
    let requests = 0;
    const started = performance.now();
    await Promise.all(
      instances.flatMap((instance, i) =>
        Array.from({ length: WORKERS_PER_INSTANCE }, async (_, worker) => {
          // Each worker writes as the user signed in on the next instance: sessions cross instances too.
          const cookie = cookies[(i + worker) % cookies.length]!;
          for (let round = 0; round < ROUNDS; round++) {
            const [write, page, status] = await Promise.all([
              callAction(instance, "/projects", createProject, [{ name: `pooled ${i}.${worker}.${round}`, description: "" }], cookie),
              timed(`${instance.url}/projects`, { headers: { cookie } }),
              timed(`${instance.url}/api/status`),
            ]);
            requests += 3;
            if (actionCode(write.body) === "ok") writes++;
            else failures.push(`write on ${instance.port}: ${write.status} ${actionCode(write.body)} after ${write.ms} ms`);
            if (page.status !== 200) failures.push(`/projects on ${instance.port}: ${page.status} after ${page.ms} ms`);
            if (status.status !== 200) failures.push(`/api/status on ${instance.port}: ${status.status} after ${status.ms} ms`);
          }
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const peak = await sessions.stop();

    console.log(
      `pooler: ${requests} requests from ${instances.length} instances in ${seconds.toFixed(1)} s (${(requests / seconds).toFixed(0)} req/s), ` +
        `${failures.length} failed, peak server connections ${peak} of a pool of ${poolSize}`,
    );
    expect(failures).toEqual([]);
    expect(writes).toBe(instances.length * WORKERS_PER_INSTANCE * ROUNDS);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(poolSize);

    const [stored] = await world.db.sql<{ n: number }[]>`select count(*)::int as n from projects where name like 'pooled %'`;
    expect(stored!.n).toBe(writes);
    // As an operator checks it (the deployment's key; exit 1 when a link is broken).
    const verified = await ops(world.db, ["audit", "verify"]);
    expect(verified).toMatch(/^Chain intact: \d+ events in order/);
    expect(Number(verified.match(/(\d+) events/)![1])).toBeGreaterThanOrEqual(writes);
  });
});
