import fs from "node:fs/promises";
import { readErasureLedger } from "@/lib/accounts";
import { replayErasures } from "@/lib/accounts/actions";
import { systemContext } from "@/lib/safety";
import type { OpsCommand } from "./command";

/**
 * The erasure ledger lives in the vault (lib/vault), outside the database and
 * its backups; `db restore` replays it by itself. `erasures replay` runs that
 * step alone (`--from <file>` adds tombstones from an older exported list);
 * `erasures export` prints the ledger (runbooks/database-backup-restore.md).
 */
export const erasuresCommand: OpsCommand = {
  summary: "show the erasure ledger (kept in the vault), or replay it (db restore does this itself)",
  verbs: ["export", "replay"],
  async run([verb, ...rest]) {
    if (verb === "export") {
      const tombstones = await readErasureLedger();
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
      const result = await replayErasures.run({ tombstones }, systemContext("cli:ops"));
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
