import { readErasureLedger } from "@/lib/accounts";
import { replayErasures } from "@/lib/accounts/actions";
import { closeDb, getDb } from "@/lib/database";
import { readMaintenance } from "@/lib/maintenance";
import { setMaintenanceAction } from "@/lib/maintenance/actions";
import { getKillSwitchStates, invalidateFlagSnapshot, refreshFlagSnapshot, type KillSwitch } from "@/lib/flags";
import { setKillSwitchAction } from "@/lib/flags/actions";
import { systemContext } from "@/lib/safety";
import { vaultLocation } from "@/lib/vault";
import { restoreDatabase, type DbTarget } from "./dump";

export type RestoreReport = {
  keptAside?: string;
  /** Kill switches set back to their state before the restore (the backup had them otherwise). */
  killSwitchesRestored: { key: string; on: boolean }[];
  /** The kill switches could not be read before the restore: background_jobs was left off instead. */
  killSwitchesUnknown: boolean;
  reErased: string[];
  ledgerSize: number;
  /** Read-only maintenance: ended by the restore (it turned it on), or left on (an operator had turned it on before). */
  maintenance: "ended" | "left_on";
};

/** Each kill switch's state as this database has it now, or null when it cannot be read. */
async function killSwitchesNow(): Promise<Map<string, boolean> | null> {
  invalidateFlagSnapshot();
  if (!(await refreshFlagSnapshot())) return null;
  return new Map((await getKillSwitchStates()).map((s) => [s.key as string, s.on]));
}

async function setMaintenance(on: boolean, reason: string) {
  const result = await setMaintenanceAction.run({ on, reason }, systemContext("cli:ops"));
  if (!result.ok) throw new Error(`could not turn maintenance ${on ? "on" : "off"}: ${result.code} ${result.message}`);
}

async function maintenanceWasOn(): Promise<boolean> {
  try {
    return (await readMaintenance(await getDb())).active;
  } catch {
    return false;
  }
}

async function setSwitch(key: string, on: boolean, reason: string) {
  const result = await setKillSwitchAction.run({ key: key as KillSwitch, on, reason }, systemContext("cli:ops"));
  if (!result.ok) throw new Error(`could not set ${key} ${on ? "on" : "off"}: ${result.code} ${result.message}`);
}

/**
 * A database restore with the steps around it that a person could forget,
 * in one command (runbooks/database-backup-restore.md):
 * 0. read-only maintenance on, before anything, and again in the restored
 *    database (the backup's copy of the switch is probably off): every
 *    instance refuses writes and jobs skip until the restore is complete;
 * 1. note every kill switch's state: the runbook turned background_jobs off
 *    first, and the backup may say otherwise;
 * 2. restore (the handle is closed first and reopened after, which applies
 *    any migration newer than the backup);
 * 3. set each kill switch back as it was, audited as cli:ops (if they could not
 *    be read, background_jobs is left off: an operator turns it on after checking);
 * 4. replay the erasure ledger from the vault, which no restore rolls back:
 *    accounts erased after the backup are erased again, and stay unable to sign in;
 * 5. maintenance off again, unless an operator had turned it on before the
 *    command (then it stays on for them to end). If a step fails it stays on.
 */
export async function restoreWithSafeguards(target: DbTarget, file: string): Promise<RestoreReport> {
  const alreadyInMaintenance = await maintenanceWasOn();
  const REASON = "database restore in progress (npm run ops -- db restore)";
  if (!alreadyInMaintenance) await setMaintenance(true, REASON).catch(() => undefined); // an unreadable database is restored all the same
  const before = await killSwitchesNow().catch(() => null);
  await closeDb();
  const { keptAside } = await restoreDatabase(target, file);
  await getDb();
  await setMaintenance(true, REASON);
  const after = (await killSwitchesNow()) ?? new Map<string, boolean>();
  const killSwitchesRestored: RestoreReport["killSwitchesRestored"] = [];
  if (before) {
    for (const [key, on] of before) {
      if (after.get(key) === on) continue;
      await setSwitch(key, on, "restored to its state before the database restore");
      killSwitchesRestored.push({ key, on });
    }
  } else if (after.get("background_jobs") !== false) {
    await setSwitch("background_jobs", false, "kept off after a database restore: its state before the restore could not be read");
    killSwitchesRestored.push({ key: "background_jobs", on: false });
  }
  const ledgerSize = (await readErasureLedger()).length;
  const replay = await replayErasures.run({}, systemContext("cli:ops"));
  if (!replay.ok) throw new Error(`restored, but replaying the erasure ledger failed (${replay.code}: ${replay.message}); run \`npm run ops -- erasures replay\` now, then \`npm run ops -- maintenance off\` (it stays on until then)`);
  if (!alreadyInMaintenance) await setMaintenance(false, "database restore complete");
  return { keptAside, killSwitchesRestored, killSwitchesUnknown: before === null, reErased: replay.data.reErased, ledgerSize, maintenance: alreadyInMaintenance ? "left_on" : "ended" };
}

export function describeRestore(report: RestoreReport): string[] {
  const lines = [`Erasure ledger (${vaultLocation()}): ${report.ledgerSize} tombstone(s); re-erased ${report.reErased.length} restored account(s).`];
  for (const t of report.reErased) lines.push(`  re-erased ${t}`);
  if (report.killSwitchesUnknown) lines.push("Kill switches could not be read before the restore: background_jobs is off until you turn it on.");
  for (const s of report.killSwitchesRestored) lines.push(`Kill switch ${s.key} set back ${s.on ? "on" : "off"}.`);
  lines.push(
    report.maintenance === "ended"
      ? "Read-only maintenance was on for the restore and is off again."
      : "Read-only maintenance was on before the restore and is still on: end it with `npm run ops -- maintenance off --reason \"...\"` once you have checked.",
  );
  if (report.keptAside) lines.push(`The previous data folder is kept at ${report.keptAside}.`);
  return lines;
}
