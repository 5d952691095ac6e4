import fs from "node:fs/promises";
import { getDb } from "@/db/client";
import { readLedger, replayErasures, systemRequest } from "@/lib/accounts";
import type { OpsCommand } from "./registry";

/**
 * The erasure ledger survives restores only if a copy lives outside the
 * backup: `erasures export <file>` beside every backup (and after every purge
 * run), `erasures replay [--from <file>]` right after a restore
 * (runbooks/database-backup-restore.md).
 */
export const erasuresCommand: OpsCommand = {
  summary: "export the erasure ledger, or replay it after a database restore",
  async run([verb, ...rest]) {
    if (verb === "export") {
      const tombstones = await readLedger(await getDb());
      const text = tombstones.join("\n") + (tombstones.length ? "\n" : "");
      if (rest[0]) await fs.writeFile(rest[0], text);
      else process.stdout.write(text);
      console.error(`${tombstones.length} tombstone(s) exported`);
      return 0;
    }
    if (verb === "replay") {
      const fromIndex = rest.indexOf("--from");
      const file = fromIndex >= 0 ? rest[fromIndex + 1] : undefined;
      if (fromIndex >= 0 && !file) {
        console.error("Usage: erasures replay [--from <ledger file>]");
        return 2;
      }
      const tombstones = file ? (await fs.readFile(file, "utf8")).split("\n").map((l) => l.trim()).filter(Boolean) : [];
      const result = await replayErasures.run({ tombstones }, systemRequest());
      if (!result.ok) {
        console.error(`replay refused: ${result.code}: ${result.message}`);
        return 1;
      }
      console.log(`ledger holds ${result.data.checked} tombstone(s); re-erased ${result.data.reErased.length} restored account(s)`);
      for (const t of result.data.reErased) console.log(`  re-erased ${t}`);
      return 0;
    }
    console.error("Usage: erasures export [file] | erasures replay [--from <ledger file>]");
    return 2;
  },
};
