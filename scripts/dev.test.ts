import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { firstResponse, isAlive, isListening, startDevServer, stillRunning } from "@/test/dev-server";

/**
 * `npm run dev` stops cleanly: SIGTERM (a process manager, a test harness)
 * and SIGINT (Ctrl-C) reach npm, which passes them to the dev command, which
 * passes them to Next.js and everything it started; npm exits only once all
 * of them have, and nothing is left listening. Before, SIGTERM left
 * `next dev` running and holding the port.
 *
 * A real `npm run dev` on an empty PGlite folder: about 20 s per case on two
 * cores. Skipped against Postgres (it would seed the shared test database).
 */
const ENV_FILE = "next-env.d.ts";
const envFileBefore = fs.readFileSync(ENV_FILE, "utf8");
// `next dev` rewrites next-env.d.ts to point at its own types; put it back for git's sake.
afterAll(() => fs.writeFileSync(ENV_FILE, envFileBefore));

describe.skipIf(Boolean(process.env.DATABASE_URL) || process.platform !== "linux")("npm run dev shutdown", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} stops Next.js and everything it started, then npm exits; nothing keeps the port`, { timeout: 240_000 }, async () => {
      const dev = await startDevServer({ args: ["--no-scheduler"] });
      try {
        // A compiled route means the Next.js server and its build workers are all running.
        expect(await firstResponse(`${dev.url}/api/health`, 180_000)).toBe(200);
        const running = dev.processTree();
        expect(running.length).toBeGreaterThan(3);

        dev.child.kill(signal);
        const code = await Promise.race([dev.exited, new Promise((resolve) => setTimeout(() => resolve("timeout"), 30_000))]);
        expect(code, dev.output()).toBe(0);
        expect(await stillRunning(running)).toEqual([]);
        expect(await isListening(Number(new URL(dev.url).port))).toBe(false);
        // The folder's lock went with the dev command.
        expect(dev.output()).toContain("Database ready");
      } finally {
        for (const pid of dev.processTree()) if (isAlive(pid)) process.kill(pid, "SIGKILL");
        dev.cleanUp();
      }
    });
  }
});
