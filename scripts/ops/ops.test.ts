import { desc, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, providerFaults } from "@/db/schema";
import { breakersCommand } from "./breakers";
import { faultsCommand } from "./faults";
import { jobsCommand } from "./jobs";

/** The newest audit event of an action, if it was written by the ops CLI's principal. */
async function lastByCli(action: string) {
  const db = await getDb();
  const [event] = await db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.id)).limit(1);
  return event && event.actorType === "system" && event.actorId === "cli:ops" ? event : null;
}

const quietly = async (run: () => Promise<number | void>) => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    return await run();
  } finally {
    vi.restoreAllMocks();
  }
};

// Opening (and migrating) the database is the slow part: do it under the hook timeout, not a test's.
beforeAll(async () => {
  await getDb();
});

afterEach(async () => {
  await quietly(() => breakersCommand.run(["reset", "payments", "ops test done"]));
});

describe("every ops CLI change is audited like its web equivalent, as cli:ops", () => {
  it("breakers open and reset", async () => {
    expect(await quietly(() => breakersCommand.run(["open", "payments", "drill", "from", "the", "CLI"]))).toBe(0);
    expect(await lastByCli("breaker.force")).toMatchObject({ targetId: "payments", metadata: expect.objectContaining({ mode: "open", reason: "drill from the CLI" }) });
    expect(await quietly(() => breakersCommand.run(["reset", "payments", "drill over"]))).toBe(0);
    expect(await lastByCli("breaker.force")).toMatchObject({ metadata: expect.objectContaining({ mode: "reset" }) });
  });

  it("faults set, and clear, which removes the setting so the environment's applies again", async () => {
    const db = await getDb();
    expect(await quietly(() => faultsCommand.run(["set", "email", "fail=30%,latency=5ms"]))).toBe(0);
    expect(await lastByCli("provider.faults_set")).toMatchObject({ targetId: "email" });
    expect(await db.select().from(providerFaults).where(eq(providerFaults.provider, "email"))).toHaveLength(1);
    expect(await quietly(() => faultsCommand.run(["clear", "email"]))).toBe(0);
    expect(await lastByCli("provider.faults_clear")).toMatchObject({ targetId: "email" });
    expect(await db.select().from(providerFaults).where(eq(providerFaults.provider, "email"))).toHaveLength(0);
  });

  it("jobs run", async () => {
    expect(await quietly(() => jobsCommand.run(["run", "notification_delivery"]))).toBe(0);
    const event = await lastByCli("job.run_now");
    expect(event).toMatchObject({ targetId: "notification_delivery", outcome: "success" });
  });
});

describe("faults in production", () => {
  it("are refused, and nothing is written", async () => {
    vi.resetModules();
    vi.doMock("@/lib/env", async (importOriginal) => {
      const actual = await importOriginal<typeof import("@/lib/env")>();
      return { ...actual, env: { ...actual.env, appEnv: "production" } };
    });
    const { faultsCommand: inProduction } = await import("./faults");
    const db = await getDb();
    const state = async () => ({
      faults: await db.select().from(providerFaults).where(eq(providerFaults.provider, "payments")),
      lastEvent: (await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.action, "provider.faults_set")).orderBy(desc(auditEvents.id)).limit(1))[0] ?? null,
    });
    const before = await state();
    expect(await quietly(() => inProduction.run(["set", "payments", "fail=100%"]))).toBe(1);
    expect(await quietly(() => inProduction.run(["clear", "payments"]))).toBe(1);
    expect(await state()).toEqual(before);
    vi.doUnmock("@/lib/env");
  });
});
