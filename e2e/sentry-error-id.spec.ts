import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startFakeSentry } from "../test/fixtures/fake-sentry";

/**
 * The id a user reads on a crashed page is the id of the event the server
 * sent to Sentry. This needs a server with a Sentry DSN, which the shared
 * e2e server has not (every other spec would report into it): so this spec
 * starts its own `next start` of the same build, on the same database, with
 * SENTRY_DSN pointing at a fake Sentry ingest in this process.
 */
test.describe.configure({ mode: "serial", timeout: 120_000 });

let fake: Awaited<ReturnType<typeof startFakeSentry>>;
let server: ChildProcess | undefined;
let baseUrl: string;

/** A port nobody is listening on now (the OS picks it), so this server never collides with another run's. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

test.beforeAll(async () => {
  fake = await startFakeSentry();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    // As the shared server runs (playwright.config.ts): the app's role on the migrated database, /debug/crash served.
    DATABASE_URL: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:55432/breakwater_e2e",
    AUTH_SECRET: process.env.AUTH_SECRET ?? "some-test-secret",
    AUTH_TRUST_HOST: "true",
    APP_ENV: "development",
    APP_URL: baseUrl,
    SENTRY_DSN: fake.dsn,
  };
  delete env.DATABASE_OWNER_URL;
  delete env.AUDIT_RETENTION_DATABASE_URL;
  delete env.PGLITE_DIR;
  // Next's own binary rather than npx: one process less on a busy machine; its own process group, so stopping it stops everything it started.
  server = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-H", "127.0.0.1", "-p", String(port)], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  await expect
    .poll(
      () =>
        fetch(`${baseUrl}/api/health`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 90_000, intervals: [250] },
    )
    .toBeGreaterThan(0);
});

test.afterAll(async () => {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  await fake?.close();
});

test("a server crash shows the id of the event the server sent to Sentry", async ({ page }) => {
  await page.goto(`${baseUrl}/debug/crash`);
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
  // The digest shows first; the page then works out the event id from it.
  const shown = page.getByTestId("error-id");
  await expect(shown).toHaveText(/^[0-9a-f]{32}$/);
  const errorId = (await shown.textContent())!.trim();

  const received = await fake.waitFor((item) => item.type === "event" && item.payload.event_id === errorId, 20_000);
  // It is the server's event: the real message (production hides it from the browser) and the render's request context.
  expect(JSON.stringify(received.payload.exception)).toContain("Deliberate crash from /debug/crash");
  expect(received.payload).toMatchObject({
    contexts: expect.objectContaining({ nextjs: expect.objectContaining({ route_type: "render", request_path: "/debug/crash" }) }),
    tags: expect.objectContaining({ digest: expect.stringMatching(/^\d+$/) }),
    request: expect.objectContaining({ method: "GET" }),
  });
});
