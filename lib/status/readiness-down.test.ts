import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freeTcpPort, hasPostgresServer, startOwnPostgres, type OwnPostgres } from "@/test/fixtures/postgres";

/**
 * Readiness with the database really gone: this file starts its OWN
 * throwaway Postgres (never the shared one), then stops it mid-test.
 * Modules are imported after DATABASE_URL points at that cluster.
 */
let server: OwnPostgres | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bw-ready-"));
const previousUrl = process.env.DATABASE_URL;
// This cluster has one role, reached directly: the shared database's owner and retention roles do not apply to it,
// nor the pool mode of the phase's own DATABASE_URL (a transaction-mode pooler, which would refuse to migrate).
const previousRoleUrls = { DATABASE_OWNER_URL: process.env.DATABASE_OWNER_URL, AUDIT_RETENTION_DATABASE_URL: process.env.AUDIT_RETENTION_DATABASE_URL, DATABASE_POOL_MODE: process.env.DATABASE_POOL_MODE };

afterAll(async () => {
  const { closeDb } = await import("@/lib/database");
  await closeDb().catch(() => {});
  await server?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  if (previousUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = previousUrl;
  for (const [key, value] of Object.entries(previousRoleUrls)) if (value !== undefined) process.env[key] = value;
});

describe.skipIf(!hasPostgresServer)("readiness and /status with Postgres stopped", () => {
  it("returns 503 naming the database, and /status serves its last known state", { timeout: 120_000 }, async () => {
    server = await startOwnPostgres(await freeTcpPort());
    process.env.DATABASE_URL = server.url;
    for (const key of Object.keys(previousRoleUrls)) delete process.env[key];

    // What GET /api/health/ready does: the readiness query for an anonymous probe, answered as HTTP.
    const { readinessProbe } = await import("./queries");
    const { readinessResponse } = await import("./health");
    const { getPublicStatus, forgetLastStatus } = await import("./public-status");
    const { createIncident } = await import("./actions");
    const { contextFor, createTestUser } = await import("@/test/factories");
    const GET = async () => {
      const result = await readinessProbe.run({}, contextFor(null));
      if (!result.ok) throw new Error(`readiness query failed: ${result.code}`);
      return readinessResponse(result.data);
    };
    const snapshot = path.join(dir, "status-snapshot.json");

    const admin = await createTestUser({ role: "admin" });
    const posted = await createIncident.run({ title: "Database maintenance overran", message: "Investigating.", components: "api" }, contextFor(admin));
    expect(posted.ok).toBe(true);
    const live = await getPublicStatus({ file: snapshot });
    expect(live.staleSince).toBeNull();
    expect(live.incidents.map((i) => i.title)).toContain("Database maintenance overran");

    const up = await GET();
    expect(up.status).toBe(200);
    expect(((await up.json()) as { status: string }).status).toBe("ready");

    await server.down();

    const down = await GET();
    expect(down.status).toBe(503);
    const body = (await down.json()) as { status: string; checks: { name: string; status: string; detail?: string }[] };
    expect(body.status).toBe("not_ready");
    expect(body.checks.find((c) => c.name === "database")).toMatchObject({ status: "down", detail: "unavailable" });
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres:/);

    const stale = await getPublicStatus({ file: snapshot });
    expect(stale.staleSince).toBe(live.generatedAt);
    expect(stale.overall).toBe("major_outage");
    expect(stale.components.every((c) => c.state === "major_outage")).toBe(true);
    expect(stale.incidents.map((i) => i.title)).toContain("Database maintenance overran");

    // A fresh instance (nothing in memory) still has the copy on disk.
    forgetLastStatus();
    const fromDisk = await getPublicStatus({ file: snapshot });
    expect(fromDisk.incidents.map((i) => i.title)).toContain("Database maintenance overran");
  });
});
