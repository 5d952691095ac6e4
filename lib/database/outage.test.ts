import { afterAll, describe, expect, it } from "vitest";
import { freeTcpPort, hasPostgresServer, startOwnPostgres, type OwnPostgres } from "@/test/fixtures/postgres";

/**
 * Procedures with the database really gone, on a Postgres cluster of this
 * file's own: stopped (connections refused) and frozen with SIGSTOP (nothing
 * answers, not even an error). Either way a guarded call ends as
 * `dependency_down`, never `internal` and never a hang, and the same process
 * works again once the server is back, without a restart.
 */
let server: OwnPostgres | null = null;
const previousUrl = process.env.DATABASE_URL;
const previousOwnerUrl = process.env.DATABASE_OWNER_URL;
const previousPoolMode = process.env.DATABASE_POOL_MODE;

afterAll(async () => {
  const { closeDb } = await import("@/lib/database");
  await closeDb().catch(() => {});
  await server?.destroy();
  if (previousUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = previousUrl;
  if (previousOwnerUrl !== undefined) process.env.DATABASE_OWNER_URL = previousOwnerUrl;
  if (previousPoolMode !== undefined) process.env.DATABASE_POOL_MODE = previousPoolMode;
});

async function untilOk(attempt: () => Promise<{ ok: boolean }>) {
  for (let i = 0; i < 100; i++) {
    if ((await attempt()).ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe.skipIf(!hasPostgresServer || !previousUrl)("procedures while Postgres is stopped or hung", () => {
  it("answer dependency_down, and work again once it is back", { timeout: 120_000 }, async () => {
    server = await startOwnPostgres(await freeTcpPort());
    process.env.DATABASE_URL = await server.database("outage");
    // The suite's owner URL names the shared test database; this cluster's own role migrates its database.
    delete process.env.DATABASE_OWNER_URL;
    // Reached directly: the pool mode names how the phase's own DATABASE_URL connects (through a pooler, which refuses to migrate).
    delete process.env.DATABASE_POOL_MODE;
    const { createProject } = await import("@/lib/projects/actions");
    const { myProjects } = await import("@/lib/projects/queries");
    const { contextFor, createTestUser } = await import("@/test/factories");
    const user = await createTestUser();
    const create = (name: string) => createProject.run({ name }, contextFor(user));
    const list = () => myProjects.run({}, contextFor(user));
    expect(await create("before the outage")).toMatchObject({ ok: true });

    await server.down();
    expect(await create("while stopped")).toMatchObject({ ok: false, code: "dependency_down" });
    expect(await list()).toMatchObject({ ok: false, code: "dependency_down" });
    await server.up();
    expect(await untilOk(() => create("after a restart"))).toBe(true);

    await server.freeze();
    try {
      const [action, query] = await Promise.all([create("while hung"), list()]);
      expect(action).toMatchObject({ ok: false, code: "dependency_down" });
      expect(query).toMatchObject({ ok: false, code: "dependency_down" });
    } finally {
      await server.thaw();
    }
    expect(await untilOk(() => create("after thawing"))).toBe(true);
    const names = await list();
    expect(names.ok && names.data.projects.map((p) => p.name).sort()).toEqual(["after a restart", "after thawing", "before the outage"]);
  });
});
