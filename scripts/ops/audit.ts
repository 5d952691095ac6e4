import { getDb } from "@/lib/database";
import { anchorAuditChain, recordAuditEvent } from "@/lib/audit";
import { applyAuditRetentionAction } from "@/lib/audit/actions";
import { saveVerification, verifyAuditChain } from "@/lib/audit/verify";
import { systemContext } from "@/lib/safety";
import type { OpsCommand } from "./command";

// `audit verify` walks every chain and names the first broken link (exit 1 when broken) · `audit retention`
// · `audit anchor` writes the chain heads to the vault now · `audit anchor --rebaseline "<reason>"` after restoring a backup
export const auditCommand: OpsCommand = {
  summary: "verify the audit hash chain, anchor its heads outside the database, or apply audit retention now",
  verbs: ["verify", "anchor", "retention"],
  async run([verb, flag, ...rest]) {
    if (verb === "verify") {
      const db = await getDb();
      const result = await verifyAuditChain(db);
      // The verification and its audit event commit together, like any guarded change.
      await db.transaction(async (tx) => {
        await saveVerification(tx, result, "cli");
        await recordAuditEvent(tx, {
          actor: { type: "system", id: "ops-cli" },
          action: "audit.verify",
          target: { type: "audit_log", id: null },
          outcome: "success",
          metadata: { ok: result.ok, checked: result.checked, firstBrokenId: result.firstBroken?.id },
        });
      });
      console.log(result.detail);
      return result.ok ? 0 : 1;
    }
    if (verb === "retention") {
      const result = await applyAuditRetentionAction.run({}, systemContext("cli:ops"));
      if (!result.ok) {
        console.error(`${result.code}: ${result.message}`);
        return 1;
      }
      for (const o of result.data.outcomes) console.log(`${o.category.padEnd(10)} removed ${o.removed} (older than ${o.cutoff})`);
      return 0;
    }
    if (verb === "anchor") {
      const reason = flag === "--rebaseline" ? rest.join(" ").trim() : undefined;
      if (flag && !reason) {
        console.error('Usage: audit anchor [--rebaseline "<why the log went back, e.g. restored the backup of 2026-11-20>"]');
        return 2;
      }
      const db = await getDb();
      const outcome = await anchorAuditChain(db, new Date(), { rebaseline: reason });
      if (outcome.status === "broken") {
        console.error(`Not anchored: ${outcome.detail}`);
        return 1;
      }
      if (outcome.status === "unchanged") console.log("Nothing new since the last anchor.");
      else console.log(`Anchored ${Object.keys(outcome.anchor.heads).length} chain heads at ${outcome.anchor.at}${reason ? ` (rebaselined: ${reason})` : ""}.`);
      if (reason) {
        await recordAuditEvent(db, { actor: { type: "system", id: "ops-cli" }, action: "audit.rebaseline", target: { type: "audit_log", id: null }, outcome: "success", metadata: { reason } });
      }
      return 0;
    }
    console.error("Usage: audit verify | audit anchor [--rebaseline <reason>] | audit retention");
    return 2;
  },
};
