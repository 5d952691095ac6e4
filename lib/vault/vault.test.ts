import os from "node:os";
import path from "node:path";
import fs from "node:fs/promises";
import { afterAll, describe, expect, it, vi } from "vitest";

/**
 * The vault on both backends: a directory of files, and (when the suite runs
 * against Postgres) a second database, here the test database itself, reached
 * directly and, where the suite has one, through a transaction-mode pooler.
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
// When the suite's own connections go through a transaction-mode pooler, the vault goes through it too, as the owner:
// a vault database on Vercel is as likely to be reached through its provider's pooled connection string.
const pooled = process.env.DATABASE_POOL_MODE === "transaction" && process.env.DATABASE_URL && process.env.DATABASE_OWNER_URL;
if (pooled) {
  const url = new URL(process.env.DATABASE_URL!);
  const owner = new URL(process.env.DATABASE_OWNER_URL!);
  [url.username, url.password] = [owner.username, owner.password];
  backends.push(["a second Postgres database behind a transaction-mode pooler", { VAULT_DATABASE_URL: url.toString() }]);
}

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

  it("serves several callers appending and reading at once, round after round", async () => {
    const vault = await loadVault(config);
    const stream = `test-${crypto.randomUUID().slice(0, 8)}`;
    await Promise.all(
      Array.from({ length: 4 }, async (_, caller) => {
        for (let i = 0; i < 25; i++) {
          const record = await vault.appendToVault(stream, { caller, i });
          expect((await vault.readVault(stream, record.seq - 1)).map((r) => r.seq)).toContain(record.seq);
        }
      }),
    );
    expect(await vault.readVault(stream)).toHaveLength(100);
    await vault.closeVault();
  }, 30_000);

  it("refuses a stream name that could escape its directory", async () => {
    const vault = await loadVault(config);
    await expect(vault.appendToVault("../etc/passwd", {})).rejects.toThrow(/Bad vault stream/);
  });
});
