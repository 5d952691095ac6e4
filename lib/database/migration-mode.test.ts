import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { isDatabaseUnavailable, isMigrationsPending, migrationModeFor } from "@/lib/database";

/**
 * Who migrates on open: never a production server (its deploy step,
 * `npm run db:migrate`, does), always everything else, the development paths
 * on the embedded database included. The process-level proof against a real
 * `next start` is test/faults/unmigrated-start.test.ts.
 */
describe("migrations on open", () => {
  it("a Next.js production server requires them; next dev, npm run dev, the CLI scripts and tests apply them", () => {
    expect(migrationModeFor({ nextRuntime: "nodejs", nodeEnv: "production" })).toBe("require");
    expect(migrationModeFor({ nextRuntime: "nodejs", nodeEnv: "development" })).toBe("apply");
    // tsx scripts (npm run dev before it starts Next, db:migrate, db:seed, ops), even with NODE_ENV=production in the shell.
    expect(migrationModeFor({ nextRuntime: undefined, nodeEnv: "production" })).toBe("apply");
    expect(migrationModeFor({ nextRuntime: undefined, nodeEnv: undefined })).toBe("apply");
    expect(migrationModeFor({ nextRuntime: undefined, nodeEnv: "test" })).toBe("apply");
  });

  it("`require` refuses an unmigrated embedded database without changing it, naming the deploy step; `apply` migrates it", { timeout: 120_000 }, async () => {
    const refused = await openDatabase({ pgliteDir: "memory://", migrations: "require" }).catch((error: unknown) => error);
    expect(isMigrationsPending(refused)).toBe(true);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/never migrates\. Run `npm run db:migrate`/);

    const handle = await openDatabase({ pgliteDir: "memory://", migrations: "apply" });
    try {
      const { rows } = (await handle.db.execute("select count(*)::int as n from drizzle.__drizzle_migrations")) as unknown as { rows: { n: number }[] };
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await handle.close();
    }
  });
});
