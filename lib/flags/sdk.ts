import "server-only";
import type { Adapter, JsonValue } from "flags";
import { env } from "@/lib/env";
import type { FlagContext } from "./model";
import { getFlag } from "./runtime";

/** One id for every flag this adapter serves, so the SDK's `evaluate()` may group them. */
const ADAPTER_ID = Symbol.for("breakwater.flags");

/**
 * Breakwater's flags behind Vercel's Flags SDK: application code declares
 * `flag({ key, adapter: breakwaterAdapter(), identify })` (see `flags.ts`)
 * and awaits it in a server component. The value is the same evaluation every
 * other reader gets (the instance's snapshot: rules, segments, rollout,
 * `FLAG_*` overrides, kill switches as prerequisites); a flag with no row yet
 * serves the declaration's `defaultValue`. A developer's Flags Explorer
 * override (an encrypted cookie) is applied by the SDK before `decide`.
 */
export function breakwaterAdapter<V extends JsonValue>(): Adapter<V, FlagContext> {
  return {
    adapterId: ADAPTER_ID,
    // Flags Explorer links each flag to the page that changes it.
    origin: (key) => `${env.appUrl}/admin/flags/${encodeURIComponent(key)}`,
    decide: async ({ key, entities, defaultValue }) => (await getFlag(key, entities ?? {}, defaultValue ?? null)).value as V,
  };
}
