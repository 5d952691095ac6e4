import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { claimPgliteFolder, DatabaseInUseError, lockFileFor } from "./pglite-lock";

/**
 * One writer per embedded database: a folder held by a live process is
 * refused (before PGlite touches it) with a sentence naming the holder;
 * the holder's own server may join with the share token; a lock left by a
 * dead process is taken over. The last test runs the real ops CLI against a
 * folder "the dev server" holds.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bw-lock-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A real process that stays alive until killed, standing in for `npm run dev`. */
function otherProcess() {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  return { pid: child.pid!, stop: () => new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.kill())) };
}

function holdAs(dir: string, pid: number, extra: Record<string, unknown> = {}) {
  fs.writeFileSync(lockFileFor(dir), JSON.stringify({ pid, holder: "the dev server (npm run dev)", url: "http://localhost:3999", since: new Date().toISOString(), ...extra }));
}

describe("PGlite folder lock", () => {
  it("takes a free folder, and frees it on release", () => {
    const dir = path.join(tmp, "free");
    const lock = claimPgliteFolder(dir, { holder: "a test" });
    expect(lock.owned).toBe(true);
    expect(JSON.parse(fs.readFileSync(lock.file, "utf8"))).toMatchObject({ pid: process.pid, holder: "a test" });
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
  });

  it("refuses a folder a live process holds, naming it, its address and what to do; the database is never opened", async () => {
    const dir = path.join(tmp, "held");
    const holder = otherProcess();
    try {
      holdAs(dir, holder.pid, { shareToken: "t".repeat(32) });
      expect(() => claimPgliteFolder(dir)).toThrow(DatabaseInUseError);
      const error = await openDatabase({ pgliteDir: dir, migrations: "apply" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseInUseError);
      const message = (error as Error).message;
      expect(message).toContain(`is open in the dev server (npm run dev) (pid ${holder.pid} at http://localhost:3999)`);
      expect(message).toContain("nothing was done here");
      expect(message).toContain("Make the change in the running app (http://localhost:3999/admin)");
      expect(fs.existsSync(dir)).toBe(false); // PGlite never created (let alone opened) the folder

      // The server the holder started joins with the token it was handed; a wrong token is still refused.
      expect(claimPgliteFolder(dir, undefined, "t".repeat(32)).owned).toBe(false);
      expect(() => claimPgliteFolder(dir, undefined, "x".repeat(32))).toThrow(DatabaseInUseError);
      expect(JSON.parse(fs.readFileSync(lockFileFor(dir), "utf8")).members).toEqual([process.pid]);
    } finally {
      await holder.stop();
    }
  });

  it("stays held while the server that joined it runs on after its holder was killed", async () => {
    const dir = path.join(tmp, "orphan");
    const gone = otherProcess();
    const server = otherProcess();
    await gone.stop();
    try {
      holdAs(dir, gone.pid, { members: [server.pid] });
      expect(() => claimPgliteFolder(dir)).toThrow(`(pid ${server.pid} at http://localhost:3999)`);
    } finally {
      await server.stop();
    }
    const lock = claimPgliteFolder(dir);
    expect(lock.owned).toBe(true);
    lock.release();
  });

  it("takes over a lock left by a process that has gone", async () => {
    const dir = path.join(tmp, "stale");
    const gone = otherProcess();
    await gone.stop();
    holdAs(dir, gone.pid);
    const lock = claimPgliteFolder(dir, { holder: "a test" });
    expect(lock.owned).toBe(true);
    lock.release();
  });

  it("the ops CLI refuses with that sentence while the dev server holds the folder, and changes nothing", async () => {
    const dir = path.join(tmp, "ops");
    const holder = otherProcess();
    try {
      holdAs(dir, holder.pid);
      const run = promisify(execFile)("npm", ["run", "--silent", "ops", "--", "flags", "set", "notifications", "off", "--reason", "testing the lock"], {
        env: { ...process.env, DATABASE_URL: undefined, DATABASE_OWNER_URL: undefined, AUDIT_RETENTION_DATABASE_URL: undefined, PGLITE_DIR: dir },
      });
      const failed = (await run.then(() => null, (e: unknown) => e)) as { code: number; stderr: string } | null;
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain(`is open in the dev server (npm run dev) (pid ${holder.pid}`);
      expect(fs.existsSync(dir)).toBe(false);
    } finally {
      await holder.stop();
    }
  });
});
