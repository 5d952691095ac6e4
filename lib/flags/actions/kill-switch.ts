import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { flagChangeRequests, flags, type FlagRow } from "@/db/schema";
import type { Tx } from "@/lib/database";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { actorLabel, actorOf } from "@/lib/audit";
import { defineAction } from "@/lib/procedures";
import { DECLARED_KILL_SWITCHES, isKillSwitch, KILL_SWITCHES, type KillSwitch } from "../kill-switches";
import { ENVIRONMENTS, type EnvironmentState } from "../model";
import { bumpConfigVersion, currentEnvironment } from "../store";
import { futureTime, onOff, reasonSchema, reloadHere } from "./shared";

function killSwitchState(row: Pick<FlagRow, "environments"> | undefined): boolean {
  const state = row?.environments[currentEnvironment()];
  return state ? state.enabled : true;
}

const setKillSwitchInput = z.object({
  key: z.string("Choose a kill switch.").refine(isKillSwitch, "Unknown kill switch."),
  on: onOff,
  reason: reasonSchema,
  /** Only when turning off: turn back on automatically at this time. */
  reenableAt: futureTime.optional(),
});

/**
 * Turning a switch back on widens what production serves: there, an admin's
 * request waits for a second admin (flags.decide_change applies it). The ops
 * CLI is the audited break-glass path and is not held; outside production
 * nothing is. Returns the waiting request, or null when nothing has to wait.
 */
async function requestTurnOn(tx: Tx, input: z.output<typeof setKillSwitchInput>, who: string, caller: { system: string | null }) {
  if (!input.on || caller.system !== null || currentEnvironment() !== "production") return null;
  const key = input.key as KillSwitch;
  const [existing] = await tx.select().from(flags).where(eq(flags.key, key)).for("update");
  if (killSwitchState(existing)) return null;
  const [pending] = await tx
    .insert(flagChangeRequests)
    .values({ flagKey: key, kind: "approval", environment: "production", payload: { change: "kill_switch_on", key, reason: input.reason }, reason: input.reason, requestedBy: who })
    .returning({ id: flagChangeRequests.id });
  return { key, before: { on: false }, after: { on: false, reenableAt: null }, version: undefined as number | undefined, pendingApproval: pending!.id as string | null };
}

/** The kill switch change, inside the action's transaction (also how an approved turn-on is applied). */
export async function writeKillSwitch(tx: Tx, input: z.output<typeof setKillSwitchInput>, who: string, automatic: boolean) {
  const key = input.key as KillSwitch;
  const [existing] = await tx.select().from(flags).where(eq(flags.key, key)).for("update");
  const wasOn = killSwitchState(existing);
  const reenableAt = input.on ? null : (input.reenableAt ?? null);
  const environments = Object.fromEntries(
    ENVIRONMENTS.map((e): [string, EnvironmentState] => [e, { enabled: input.on, reenableAt, targets: [], rules: [], rollout: 0 }]),
  );
  if (existing) {
    await tx
      .update(flags)
      .set({ environments, updatedBy: who, updatedAt: new Date(), revision: existing.revision + 1 })
      .where(eq(flags.key, key));
  } else {
    const declared = DECLARED_KILL_SWITCHES.get(key)!;
    await tx.insert(flags).values({
      key,
      kind: "kill_switch",
      valueType: "boolean",
      description: "",
      owner: "ops",
      defaultValue: declared.defaultValue,
      offValue: declared.offValue,
      environments,
      createdBy: who,
      updatedBy: who,
    });
  }
  const version = await bumpConfigVersion(tx);
  if (automatic && !input.on && wasOn) {
    // Someone must decide when it goes back on: the alert router pages them (lib/alerts: Slack, PagerDuty, email on its own
    // path), never the notifications this may just have turned off. The alert stays open until the switch is on again.
    await raiseAlert(tx, {
      dedupKey: `auto_kill:${key}`,
      source: "auto_kill",
      severity: "page",
      title: `Kill switch ${key} was turned off automatically`,
      detail: `${input.reason}. It stays off until it is turned back on at /admin/flags.`,
      runbook: KILL_SWITCHES[key].runbook,
    });
  }
  if (input.on) await resolveAlert(tx, `auto_kill:${key}`);
  // Off never waits for anyone; a second admin reviews it afterwards.
  if (!input.on && wasOn) {
    await tx.insert(flagChangeRequests).values({ flagKey: key, kind: "review", environment: "all", payload: { on: false, reenableAt }, reason: input.reason, requestedBy: who });
  }
  return { key, before: { on: wasOn }, after: { on: input.on, reenableAt }, version: version as number | undefined, pendingApproval: null as string | null };
}

// Kill switches turn off at once, everywhere this database serves: an emergency stop never waits for a review or a second admin.
// Turning one back on in production waits for a second admin (requestTurnOn), except for a system principal: the ops
// CLI (the audited break-glass path) and the scheduled re-enable time a person set when turning it off.
// Admins flip them from /admin/flags; the ops CLI (cli:ops) and automatic kills (a cron job) run the same action.
export const setKillSwitchAction = defineAction({
  name: "flags.set_kill_switch",
  permission: ["admin:write", "system"],
  input: setKillSwitchInput,
  handler: async ({ tx, request, input }) => {
    const who = actorLabel(actorOf(request));
    return (await requestTurnOn(tx, input, who, request)) ?? writeKillSwitch(tx, input, who, request.system?.startsWith("cron:") ?? false);
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.kill_switch",
    target: ({ input }) => ({ type: "flag", id: input.key }),
    metadata: ({ input, data, request }) => ({ reason: input.reason, before: data?.before, after: data?.after, configVersion: data?.version, pendingApproval: data?.pendingApproval ?? undefined, via: request.via }),
  },
});
