import os from "node:os";
import path from "node:path";
import fs from "node:fs/promises";
import { afterAll, describe, expect, it, vi } from "vitest";

/**
 * The vault on both backends: a directory of files, and (when the suite runs
 * against Postgres) a second database, here the test database itself.
 */
const dir = await fs.mkdtemp(path.join(os.tmpdir(), "vault-test-"));
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

async function loadVault(config: Record<string, string | undefined>) {
  vi.resetModules();
  const { closeVault } = await import("./index");
  await closeVault();
  vi.doMock("@/lib/env", async (importOriginal) => {
    const actual = await importOriginal<typeof import("@/lib/env")>();
    return { ...actual, env: { ...actual.env, VAULT_DIR: dir, VAULT_DATABASE_URL: undefined, ...config } };
  });
  return import("./index");
}

const backends: [string, Record<string, string | undefined>][] = [["files", {}]];
// The schema's owner, where there is one: the vault creates its table on first use, which the app's own role may not.
const vaultTestUrl = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL;
if (vaultTestUrl) backends.push(["a second Postgres database", { VAULT_DATABASE_URL: vaultTestUrl }]);

describe.each(backends)("the vault on %s", (_label, config) => {
  it("appends records in order and reads them back, whole or after a sequence number", async () => {
    const vault = await loadVault(config);
    const stream = `test-${crypto.randomUUID().slice(0, 8)}`;
    const first = await vault.appendToVault(stream, { n: 1 });
    const second = await vault.appendToVault(stream, { n: 2, nested: { ok: true } });
    expect(second.seq).toBeGreaterThan(first.seq);
    expect((await vault.readVault(stream)).map((r) => r.body)).toEqual([{ n: 1 }, { n: 2, nested: { ok: true } }]);
    expect((await vault.readVault(stream, first.seq)).map((r) => r.body)).toEqual([{ n: 2, nested: { ok: true } }]);
    expect(await vault.readVault(`empty-${crypto.randomUUID().slice(0, 8)}`)).toEqual([]);
    await vault.closeVault();
  });

  it("keeps concurrent appends from one process dense and complete", async () => {
    const vault = await loadVault(config);
    const stream = `test-${crypto.randomUUID().slice(0, 8)}`;
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.appendToVault(stream, { i })));
    const records = await vault.readVault(stream);
    expect(records.map((r) => r.body.i).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(records.map((r) => r.seq)).size).toBe(20);
    await vault.closeVault();
  });

  it("refuses a stream name that could escape its directory", async () => {
    const vault = await loadVault(config);
    await expect(vault.appendToVault("../etc/passwd", {})).rejects.toThrow(/Bad vault stream/);
  });
});
