import { getDb } from "@/lib/database";
import { currentEnvironment, getKillSwitchStates, isKillSwitch, KILL_SWITCH_KEYS, refreshFlagSnapshot } from "@/lib/flags";
import { setKillSwitchAction } from "@/lib/flags/actions";
import { systemContext } from "@/lib/safety";
import type { OpsCommand } from "./command";
import { option } from "./options";

const USAGE = `Usage:
  npm run ops -- flags list
  npm run ops -- flags set <kill switch> on|off --reason "why" [--until 2026-11-23T06:00Z]
Kill switches: ${KILL_SWITCH_KEYS.join(", ")}`;

// The emergency path: straight against the database, through the same guarded action as the admin panel, as the cli:ops principal.
export const flagsCommand: OpsCommand = {
  summary: "list flags and kill switches, or turn a kill switch on/off (audited as cli:ops)",
  verbs: ["list", "set"],
  async run(args) {
    const [verb, key, state] = args;
    if (verb === "list") {
      await getDb();
      const snapshot = await refreshFlagSnapshot();
      console.log(`environment ${currentEnvironment()} · config version ${snapshot?.version ?? "unknown"}`);
      for (const s of await getKillSwitchStates()) {
        const until = s.reenableAt ? ` (back on at ${s.reenableAt})` : "";
        console.log(`  ${s.key.padEnd(28)} ${s.on ? "on " : "OFF"} ${s.reason.padEnd(9)}${until}  ${s.description}`);
      }
      for (const [k, row] of snapshot?.rows ?? []) {
        if (isKillSwitch(k)) continue;
        const envState = row.environments[currentEnvironment()];
        const shown = envState ? `${envState.enabled ? "on " : "off"} rollout ${envState.rollout}%` : "no state";
        console.log(`  ${k.padEnd(28)} ${row.kind.padEnd(11)} ${shown}`);
      }
      return 0;
    }
    if (verb === "set") {
      const reason = option(args, "reason");
      if (!key || !isKillSwitch(key) || (state !== "on" && state !== "off") || !reason) {
        console.error(USAGE);
        return 2;
      }
      const result = await setKillSwitchAction.run({ key, on: state === "on", reason, reenableAt: option(args, "until") }, systemContext("cli:ops"));
      if (!result.ok) {
        const fields = result.fieldErrors ? ` ${Object.values(result.fieldErrors).join(" ")}` : "";
        console.error(`Refused (${result.code}): ${result.message}${fields}`);
        return 1;
      }
      const { before, after, version } = result.data;
      console.log(`${key}: ${before.on ? "on" : "off"} → ${after.on ? "on" : "off"} (config version ${version})${after.reenableAt ? `, back on at ${after.reenableAt}` : ""}`);
      return 0;
    }
    console.error(USAGE);
    return 2;
  },
};
