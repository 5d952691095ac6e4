import { getDb } from "@/db/client";
import { recordAuditEvent } from "@/lib/audit";
import { applyAuditRetentionAction } from "@/lib/audit/actions";
import { saveVerification, verifyAuditChain } from "@/lib/audit/verify";
import { systemContext } from "@/lib/safety";
import type { OpsCommand } from "./registry";

// `audit verify` walks every chain and names the first broken link (exit 1 when broken) · `audit retention`
export const auditCommand: OpsCommand = {
  summary: "verify the audit hash chain, or apply audit retention now",
  async run([verb]) {
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
      const result = await applyAuditRetentionAction.run({}, systemContext());
      if (!result.ok) {
        console.error(`${result.code}: ${result.message}`);
        return 1;
      }
      for (const o of result.data.outcomes) console.log(`${o.category.padEnd(10)} removed ${o.removed} (older than ${o.cutoff})`);
      return 0;
    }
    console.error("Usage: audit verify | audit retention");
    return 2;
  },
};
