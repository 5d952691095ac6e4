import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { flags } from "@/db/schema";
import { actorLabel, actorOf } from "@/lib/audit";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { ENVIRONMENTS, flagKeySchema, type EnvironmentState } from "../model";
import { bumpConfigVersion } from "../store";
import { definitionOf, reasonSchema, reloadHere } from "./shared";

/**
 * Rollback: switch one release flag off in one environment, keeping its
 * rollout, rules and targets so switching it back on restores exactly what
 * was there. Turning off never waits for a second admin, and the operator
 * CLI may do it (cli:ops). Audited as a flag update carrying the whole
 * definition, so replaying an evaluation across the rollback stays exact.
 */
export const rollbackFlagAction = defineAction({
  name: "flags.rollback",
  permission: ["admin:write", "system"],
  input: z.object({ key: flagKeySchema, environment: z.enum(ENVIRONMENTS), reason: reasonSchema }),
  handler: async ({ tx, request, input }) => {
    const [row] = await tx.select().from(flags).where(eq(flags.key, input.key)).for("update");
    if (!row) throw new ActionFailure("not_found", "That flag doesn't exist.");
    if (row.kind !== "release") throw new ActionFailure("conflict", "Only release flags are rolled back; kill switches are set with `flags set`.");
    const before = row.environments[input.environment] ?? null;
    if (!before?.enabled) return { key: row.key, changed: false, before, after: before, definition: undefined, version: undefined };
    const after: EnvironmentState = { ...before, enabled: false };
    const environments = { ...row.environments, [input.environment]: after };
    await tx
      .update(flags)
      .set({ environments, revision: row.revision + 1, updatedBy: actorLabel(actorOf(request)), updatedAt: new Date() })
      .where(eq(flags.key, row.key));
    const version = await bumpConfigVersion(tx);
    return { key: row.key, changed: true, before, after, definition: definitionOf(row, environments), version };
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.update",
    target: ({ input }) => ({ type: "flag", id: input.key }),
    metadata: ({ input, data }) => ({
      reason: input.reason,
      environment: input.environment,
      rollback: true,
      changed: data?.changed,
      before: data ? { environment: data.before } : undefined,
      after: data ? { environment: data.after } : undefined,
      definition: data?.definition,
      configVersion: data?.version,
    }),
  },
});
