import type { SessionUser } from "@/lib/auth";
import { setKillSwitchAction } from "@/lib/flags/actions";
import type { KillSwitch } from "@/lib/flags";
import { systemContext, type SystemName } from "@/lib/safety";
import { contextFor } from "./factories";

/** Flips a kill switch through the guarded action, as an admin or as a system principal (`cli:ops`, `cron:uptime_check`). */
export function setKillSwitch(args: { key: KillSwitch; on: boolean; reason: string; actor: SessionUser | SystemName; reenableAt?: string }) {
  const request = typeof args.actor === "string" ? systemContext(args.actor) : contextFor(args.actor);
  return setKillSwitchAction.run({ key: args.key, on: args.on, reason: args.reason, reenableAt: args.reenableAt }, request);
}
