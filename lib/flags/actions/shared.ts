import "server-only";
import { z } from "zod";
import type { FlagRow } from "@/db/schema";
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH } from "../constants";
import { invalidateFlagSnapshot, refreshFlagSnapshot } from "../store";

/** The instance that made a change serves it from the next line on, even to synchronous readers. */
export async function reloadHere(): Promise<void> {
  invalidateFlagSnapshot();
  await refreshFlagSnapshot();
}

export const reasonSchema = z
  .string("Give a reason for this change.")
  .trim()
  .min(REASON_MIN_LENGTH, `Give a reason for this change (at least ${REASON_MIN_LENGTH} characters).`)
  .max(REASON_MAX_LENGTH, `Keep the reason under ${REASON_MAX_LENGTH} characters.`);

/** Form checkboxes and selects arrive as strings; programmatic callers pass booleans. */
export const onOff = z.union([z.boolean(), z.enum(["on", "off"]).transform((v) => v === "on")], "Choose on or off.");

export const futureTime = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === "") return null;
    const t = Date.parse(v);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: "custom", message: "Enter a valid date and time." });
      return z.NEVER;
    }
    if (t <= Date.now()) {
      ctx.addIssue({ code: "custom", message: "The turn-back-on time must be in the future." });
      return z.NEVER;
    }
    return new Date(t).toISOString();
  });

export function jsonText<T extends z.ZodType>(schema: T, label: string) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text.trim() === "" ? "null" : text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: `${label} is not valid JSON.` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}


/** A stored flag's whole definition with these environments: what a change's audit event carries, so an evaluation can be replayed across it. */
export function definitionOf(row: FlagRow, environments: FlagRow["environments"]) {
  return { kind: row.kind, valueType: row.valueType, variants: row.variants, defaultValue: row.defaultValue, offValue: row.offValue, environments, prerequisites: row.prerequisites, seed: row.seed };
}
