import "server-only";
import { loadServerEnv } from "./schema";

/** The server's configuration, validated once at start (see ./schema). Client code imports lib/env/client instead. */
export const env = loadServerEnv(process.env);
export type { Env } from "./schema";

/** One FLAG_<KEY> emergency override, read live (the kill-switch hot path: one lookup, no copy). */
export function flagOverride(name: `FLAG_${string}`): string | undefined {
  return process.env[name];
}

/**
 * The FLAG_<KEY> emergency overrides set on this process. Read live, not
 * once: an operator restarting with a new value, and tests, change them.
 */
export function flagOverrides(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith("FLAG_") && v !== undefined) out[k] = v;
  return out;
}
