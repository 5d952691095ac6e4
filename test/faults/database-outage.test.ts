/**
 * Bounded database waits, proven on the production build with two instances:
 * with Postgres stopped (connections refused) and then hung (every server
 * process SIGSTOPped), every kind of request answers within 3 s and says what
 * is wrong; once Postgres is back, both instances answer normally within 2 s,
 * without a restart. Prints the figures it measured. See ./harness.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actionCode,
  callAction,
  faultsEnabled,
  serverActionId,
  sleep,
  startWorld,
  timed,
  type FaultsDatabase,
  type FaultsWorld,
  type Instance,
  type Timed,
} from "./harness";

const PASSWORD = "faults-database-password";
const ANSWER_WITHIN_MS = 3_000;
const RECOVER_WITHIN_MS = 2_000;

type Probe = { name: string; ms: number; status: number };

describe.skipIf(!faultsEnabled)("database stopped and hung (production build, two instances)", () => {
  let world: FaultsWorld;
  let db: FaultsDatabase;
  let instances: Instance[] = [];
  const cookies = new Map<Instance, string>();
  let createProject: string;

  beforeAll(async () => {
    world = await startWorld({ password: PASSWORD });
    ({ db, instances } = world);
    const user = await world.createUser();
    createProject = serverActionId("app/(app)/projects/actions.ts", "createProject");
    for (const instance of instances) {
      cookies.set(instance, await world.signIn(instance, user.email));
      // A healthy /status first: it is what the instance falls back to.
      expect((await timed(`${instance.url}/status`)).status).toBe(200);
      expect((await timed(`${instance.url}/projects`, { headers: { cookie: cookies.get(instance)! } })).status).toBe(200);
    }
  }, 120_000);

  // (It thaws a cluster left frozen before stopping the instances.)
  afterAll(() => world?.stop());

  /**
   * The status snapshot may be up to a second old when the database goes (its documented age): ask again until the
   * answer says what it should, for at most 3 s; each answer is still timed on its own.
   */
  async function until(url: string, done: (answer: Timed) => boolean): Promise<Timed> {
    const start = Date.now();
    for (;;) {
      const probe = await timed(url);
      if (done(probe) || Date.now() - start > 3_000) return probe;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Every kind of request against one instance while the database is out; returns the timings. */
  async function duringOutage(instance: Instance): Promise<Probe[]> {
    const cookie = cookies.get(instance)!;
    const [page, action, statusPage, statusApi, ready] = await Promise.all([
      timed(`${instance.url}/projects`, { headers: { cookie } }),
      callAction(instance, "/projects", createProject, [{ name: "Written during an outage", description: "" }], cookie),
      until(`${instance.url}/status`, (p) => p.body.includes("reach our database right now")),
      until(`${instance.url}/api/status`, (p) => p.status === 200 && (JSON.parse(p.body) as { staleSince: string | null }).staleSince !== null),
      timed(`${instance.url}/api/health/ready`),
    ]);
    // A signed-in page: the error page saying a service is unavailable (not a sign-in redirect, not a hang). The error
    // boundary (app/error.tsx) renders in the browser from the digest the server sends: an unavailable one, not "internal".
    expect(page.status).toBeGreaterThanOrEqual(500);
    // (The flight data sits JSON-escaped inside the HTML.)
    expect(page.body, page.body.match(/.{0,200}digest.{0,200}/)?.[0]).toMatch(/\\?"digest\\?":\\?"dependency_down-/);
    // An action: dependency_down, not internal.
    expect(actionCode(action.body)).toBe("dependency_down");
    // The status page: its last known state, marked stale.
    expect(statusPage.status).toBe(200);
    expect(statusPage.body).toContain("reach our database right now");
    expect(statusApi.status).toBe(200);
    expect((JSON.parse(statusApi.body) as { staleSince: string | null }).staleSince).not.toBeNull();
    // Readiness: not ready.
    expect(ready.status).toBe(503);
    const probes = [
      { name: "signed-in page", ...page },
      { name: "server action", ...action },
      { name: "/status", ...statusPage },
      { name: "/api/status", ...statusApi },
      { name: "/api/health/ready", ...ready },
    ].map(({ name, ms, status }) => ({ name, ms, status }));
    for (const probe of probes) expect(probe.ms, `${probe.name} on ${instance.url}`).toBeLessThan(ANSWER_WITHIN_MS);
    return probes;
  }

  /** Milliseconds from the database's return until this instance answers a signed-in page and readiness normally. */
  async function recovery(instance: Instance, since: number): Promise<number> {
    const cookie = cookies.get(instance)!;
    for (;;) {
      const [page, ready] = await Promise.all([timed(`${instance.url}/projects`, { headers: { cookie } }, 5_000), timed(`${instance.url}/api/health/ready`, {}, 5_000)]);
      if (page.status === 200 && ready.status === 200) return Math.round(performance.now() - since);
      if (performance.now() - since > 10_000) throw new Error(`${instance.url} had not recovered 10 s after the database returned`);
      await sleep(50);
    }
  }

  for (const fault of ["stopped", "hung"] as const) {
    it(`database ${fault}: everything answers within 3 s with a clear message; both instances recover within 2 s`, async () => {
      const restore = () => (fault === "stopped" ? db.pg.up() : db.pg.thaw());
      if (fault === "stopped") await db.pg.down();
      else await db.pg.freeze();
      const figures: string[] = [];
      try {
        // Let pooled connections meet the fault before measuring (the first request must not be the only one that counts).
        await sleep(500);
        for (const instance of instances) {
          const first = await duringOutage(instance);
          const second = await duringOutage(instance);
          figures.push(`${instance.url}: ${[...first, ...second].map((p) => `${p.name} ${p.status} ${p.ms} ms`).join(", ")}`);
        }
      } catch (error) {
        await restore();
        throw error;
      }
      // The database is back once it accepts connections again (pg_ctl start waits for that).
      await restore();
      const back = performance.now();
      const recovered = await Promise.all(instances.map((instance) => recovery(instance, back)));
      console.log(`database ${fault}:\n  ${figures.join("\n  ")}\n  recovery after the database returned: ${recovered.map((ms) => `${ms} ms`).join(", ")}`);
      for (const ms of recovered) expect(ms).toBeLessThan(RECOVER_WITHIN_MS);
    }, 90_000);
  }
});
