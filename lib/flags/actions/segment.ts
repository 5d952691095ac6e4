import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { flagChangeRequests, flags, flagSegments } from "@/db/schema";
import type { Tx } from "@/lib/database";
import { actorLabel, actorOf } from "@/lib/audit";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { conditionSchema, flagKeySchema, type Segment } from "../model";
import { bumpConfigVersion } from "../store";
import { jsonText, reasonSchema, reloadHere } from "./shared";

const saveSegmentInput = z.object({
  key: flagKeySchema,
  description: z.string().trim().max(500).default(""),
  conditions: jsonText(z.array(conditionSchema).min(1, "A segment needs at least one condition.").max(50), "Conditions"),
  reason: reasonSchema,
});

/** What an approval of a segment edit carries: the edit, and the conditions it was asked against. */
export type SegmentChangePayload = { change: "segment"; key: string; description: string; conditions: Segment["conditions"]; before: Segment["conditions"] };

/** Flags that serve this segment in production (enabled there, with a rule naming it): editing it changes who they serve. */
async function productionFlagsUsing(tx: Tx, segment: string): Promise<string[]> {
  const rows = await tx.select({ key: flags.key, environments: flags.environments }).from(flags);
  return rows.filter((r) => r.environments.production?.enabled && r.environments.production.rules.some((rule) => rule.segment === segment)).map((r) => r.key);
}

async function writeSegment(tx: Tx, change: { key: string; description: string; conditions: Segment["conditions"] }, who: string) {
  const values = { description: change.description, conditions: change.conditions, updatedBy: who, updatedAt: new Date() };
  await tx.insert(flagSegments).values({ key: change.key, ...values }).onConflictDoUpdate({ target: flagSegments.key, set: values });
  return bumpConfigVersion(tx);
}

/** Applies an approved segment edit, unless the segment changed since it was asked for. */
export async function applySegmentApproval(tx: Tx, payload: SegmentChangePayload, requestedBy: string): Promise<number> {
  const [current] = await tx.select().from(flagSegments).where(eq(flagSegments.key, payload.key)).for("update");
  if (JSON.stringify(current?.conditions ?? null) !== JSON.stringify(payload.before)) {
    throw new ActionFailure("conflict", "The segment changed since this edit was requested; ask again against its current conditions.");
  }
  return writeSegment(tx, payload, requestedBy);
}

// A segment no production flag uses changes at once. One a production flag serves is a production targeting
// change like any other (it can widen the flag to outsiders): the edit waits for a second admin (flags.decide_change).
export const saveSegmentAction = defineAction({
  name: "flags.save_segment",
  permission: "admin:write",
  input: saveSegmentInput,
  handler: async ({ tx, request, input }) => {
    const who = actorLabel(actorOf(request));
    const [existing] = await tx.select().from(flagSegments).where(eq(flagSegments.key, input.key)).for("update");
    const changesWhoIsIn = existing && JSON.stringify(existing.conditions) !== JSON.stringify(input.conditions);
    const servedBy = changesWhoIsIn ? await productionFlagsUsing(tx, input.key) : [];
    if (existing && servedBy.length > 0) {
      const payload: SegmentChangePayload = { change: "segment", key: input.key, description: input.description, conditions: input.conditions, before: existing.conditions };
      const [pending] = await tx
        .insert(flagChangeRequests)
        .values({ flagKey: `segment:${input.key}`, kind: "approval", environment: "production", payload, reason: input.reason, requestedBy: who })
        .returning({ id: flagChangeRequests.id });
      // Nothing changed yet: `after` is what is served (replay reads it); the requested conditions ride apart.
      return { key: input.key, before: existing.conditions, after: existing.conditions, requested: input.conditions as typeof input.conditions | undefined, version: undefined as number | undefined, pendingApproval: pending!.id as string | null, servedBy };
    }
    const version = await writeSegment(tx, input, who);
    return { key: input.key, before: existing?.conditions ?? null, after: input.conditions, requested: undefined, version: version as number | undefined, pendingApproval: null as string | null, servedBy };
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.segment_save",
    target: ({ input }) => ({ type: "flag_segment", id: input.key }),
    metadata: ({ input, data }) => ({
      reason: input.reason,
      before: data?.before,
      after: data?.after,
      requested: data?.requested,
      configVersion: data?.version,
      pendingApproval: data?.pendingApproval ?? undefined,
      servedBy: data?.servedBy.length ? data.servedBy : undefined,
    }),
  },
});
