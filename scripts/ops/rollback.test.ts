import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { desc, eq, like } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, deploys, flagConfigVersion, flags } from "@/db/schema";
import { getDb } from "@/lib/database";
import { currentEnvironment, recordDeployStart } from "@/lib/flags";
import { parseSince, rollbackCommand } from "./rollback";

const env = currentEnvironment();
const on = { enabled: true, reenableAt: null, targets: [], rules: [], rollout: 25 };

async function putReleaseFlag(key: string, enabled: boolean, updatedAt: Date, kind: "release" | "ops" = "release") {
  const db = await getDb();
  await db.delete(flags).where(eq(flags.key, key));
  await db.insert(flags).values({ key, kind, defaultValue: true, offValue: false, environments: { [env]: { ...on, enabled } }, createdBy: "test", updatedBy: "admin:someone", updatedAt });
}

async function configVersion() {
  const db = await getDb();
  const [row] = await db.select().from(flagConfigVersion);
  return row?.version ?? 0;
}

async function stateOf(key: string) {
  const db = await getDb();
  const [row] = await db.select().from(flags).where(eq(flags.key, key));
  return row!.environments[env];
}

/** Runs the command, capturing what it prints. */
async function run(args: string[]) {
  const out: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  try {
    return { code: await rollbackCommand.run(args), output: out.join("\n") };
  } finally {
    vi.restoreAllMocks();
  }
}

/** A local HTTP stand-in that answers with `respond` and remembers every request. */
async function standIn(respond: (req: IncomingMessage) => { status: number; body: unknown }) {
  const requests: { method: string; url: string; auth: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
    const { status, body } = respond(req);
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

beforeAll(async () => {
  await getDb();
});

// On Postgres every test file shares one database: leave no release flags or deploys behind.
afterAll(async () => {
  const db = await getDb();
  await db.delete(flags).where(like(flags.key, "rb\\_%"));
  await db.delete(deploys);
});

describe("npm run ops -- rollback (release flags)", () => {
  const hourAgo = new Date(Date.now() - 3_600_000);
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

  it("turns off, as cli:ops through the guarded action, exactly the release flags changed since the time, and says so", async () => {
    await putReleaseFlag("rb_old_release", true, new Date(hourAgo.getTime() - 60_000));
    await putReleaseFlag("rb_new_release", true, minutesAgo(5));
    await putReleaseFlag("rb_new_already_off", false, minutesAgo(5));
    await putReleaseFlag("rb_new_ops", true, minutesAgo(5), "ops");
    const versionBefore = await configVersion();

    const { code, output } = await run(["--since", hourAgo.toISOString(), "--reason", "bad release drill"]);

    expect(code).toBe(0);
    expect(await stateOf("rb_new_release")).toMatchObject({ enabled: false, rollout: 25 });
    expect(await stateOf("rb_old_release")).toMatchObject({ enabled: true });
    expect(await stateOf("rb_new_ops")).toMatchObject({ enabled: true });
    expect(output).toMatch(/rb_new_release\s+on → off/);
    expect(output).toMatch(/rb_new_already_off\s+already off/);
    expect(output).toContain("verified by read-back");
    expect(await configVersion()).toBeGreaterThan(versionBefore);
    const db = await getDb();
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.targetId, "rb_new_release")).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ action: "flag.update", actorType: "system", actorId: "cli:ops", outcome: "success" });
    expect(event!.metadata).toMatchObject({ reason: "bad release drill", rollback: true, environment: env, definition: expect.objectContaining({ kind: "release" }) });
  });

  it("without --since, works from the last recorded deploy start", async () => {
    const db = await getDb();
    await db.delete(deploys);
    await recordDeployStart("v-previous", minutesAgo(120));
    await recordDeployStart("v-current", minutesAgo(10));
    await recordDeployStart("v-current", minutesAgo(1)); // a later start of the same version keeps the first moment
    await putReleaseFlag("rb_before_deploy", true, minutesAgo(30));
    await putReleaseFlag("rb_after_deploy", true, minutesAgo(5));

    const { code, output } = await run([]);

    expect(code).toBe(0);
    expect(output).toContain("start of deploy v-current");
    expect(await stateOf("rb_after_deploy")).toMatchObject({ enabled: false });
    expect(await stateOf("rb_before_deploy")).toMatchObject({ enabled: true });
  });

  it("--dry-run changes nothing; no deploy recorded and no --since is refused", async () => {
    await putReleaseFlag("rb_dry", true, minutesAgo(1));
    const dry = await run(["--since", "10m", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.output).toMatch(/rb_dry\s+would turn off/);
    expect(await stateOf("rb_dry")).toMatchObject({ enabled: true });
    const db = await getDb();
    await db.delete(deploys);
    expect((await run([])).code).toBe(2);
    expect((await run(["--since", "yesterday-ish"])).code).toBe(2);
  });

  it("verifies every named instance serves the new config version, and fails when one lags", async () => {
    let served = 0;
    const instance = await standIn(() => ({ status: 200, body: { status: "ready", checks: [{ name: "flags", status: "ok", detail: `snapshot v${served}, 0 s old` }] } }));
    try {
      await putReleaseFlag("rb_verify_lagging", true, minutesAgo(1));
      const lagging = await run(["--since", "5m", "--instance", instance.url, "--wait", "1"]);
      expect(lagging.code).toBe(1);
      expect(lagging.output).toMatch(/instance .* still serves v0/);
      expect(instance.requests.some((r) => r.url === "/api/health/ready")).toBe(true);

      await putReleaseFlag("rb_verify_current", true, minutesAgo(1));
      served = Number.MAX_SAFE_INTEGER;
      const current = await run(["--since", "5m", "--instance", instance.url]);
      expect(current.code).toBe(0);
      expect(current.output).toMatch(/verified: 1 instance\(s\) serve flag config v\d+ or newer/);
    } finally {
      await instance.close();
    }
  });

  it("reads ages and times for --since", () => {
    const now = Date.parse("2026-12-02T12:00:00Z");
    expect(parseSince("30m", now)?.toISOString()).toBe("2026-12-02T11:30:00.000Z");
    expect(parseSince("2h", now)?.toISOString()).toBe("2026-12-02T10:00:00.000Z");
    expect(parseSince("2026-12-01T08:00Z", now)?.toISOString()).toBe("2026-12-01T08:00:00.000Z");
    expect(parseSince("soon", now)).toBeNull();
  });
});

describe("npm run ops -- rollback --deploy (Vercel)", () => {
  const deployments = [
    { uid: "dpl_old", url: "bw-old.vercel.app", created: 1_000 },
    { uid: "dpl_current", url: "bw-current.vercel.app", created: 3_000 },
    { uid: "dpl_previous", url: "bw-previous.vercel.app", created: 2_000 },
  ];
  let vercel: Awaited<ReturnType<typeof standIn>>;

  beforeAll(async () => {
    vercel = await standIn((req) => {
      if (req.headers.authorization !== "Bearer test-vercel-token") return { status: 403, body: { error: { code: "forbidden" } } };
      const url = new URL(req.url!, "http://x");
      if (req.method === "GET" && url.pathname === "/v6/deployments") return { status: 200, body: { deployments } };
      if (req.method === "POST" && /^\/v10\/projects\/prj_bw\/promote\/dpl_\w+$/.test(url.pathname)) return { status: 201, body: {} };
      return { status: 404, body: { error: { code: "not_found" } } };
    });
  });
  afterAll(() => vercel.close());
  afterEach(() => {
    vi.doUnmock("@/lib/env");
    vi.resetModules();
  });

  async function withVercelEnv(extra: Record<string, string | undefined>) {
    vi.resetModules();
    vi.doMock("@/lib/env", async (importOriginal) => {
      const actual = await importOriginal<typeof import("@/lib/env")>();
      return { ...actual, env: { ...actual.env, VERCEL_API_URL: vercel.url, ...extra } };
    });
    return (await import("./rollback")).rollbackCommand;
  }

  it("promotes the production deployment before the newest one, through the two endpoints, with the token", async () => {
    const command = await withVercelEnv({ VERCEL_TOKEN: "test-vercel-token", VERCEL_PROJECT_ID: "prj_bw", VERCEL_TEAM_ID: "team_bw" });
    vercel.requests.length = 0;
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    const code = await command.run(["--deploy"]);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(vercel.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /v6/deployments?projectId=prj_bw&target=production&state=READY&limit=10&teamId=team_bw",
      "POST /v10/projects/prj_bw/promote/dpl_previous?teamId=team_bw",
    ]);
    expect(vercel.requests.every((r) => r.auth === "Bearer test-vercel-token")).toBe(true);
    expect(out.join("\n")).toContain("promoted dpl_previous (bw-previous.vercel.app");
  });

  it("fails loudly on a refused token, and refuses without configuration", async () => {
    const refused = await withVercelEnv({ VERCEL_TOKEN: "wrong", VERCEL_PROJECT_ID: "prj_bw" });
    await expect(refused.run(["--deploy"])).rejects.toThrow(/Vercel answered 403 to GET \/v6\/deployments/);
    const unconfigured = await withVercelEnv({ VERCEL_TOKEN: undefined, VERCEL_PROJECT_ID: undefined });
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await unconfigured.run(["--deploy"])).toBe(2);
    vi.restoreAllMocks();
  });
});
