import { scrub, scrubError, scrubString } from "./scrub";

const INSTALLED = Symbol.for("breakwater.console-scrubbed");
const LEVELS = ["log", "info", "warn", "error", "debug", "trace"] as const;

function clean(arg: unknown): unknown {
  if (typeof arg === "string") return scrubString(arg);
  if (arg instanceof Error) return scrubError(arg);
  return arg !== null && typeof arg === "object" ? scrub(arg) : arg;
}

/**
 * Scrubs what reaches the console: Next.js prints errors thrown by pages
 * and route handlers there, with their messages and stacks. Installed once
 * per server process (instrumentation.ts); structured logs go through the
 * logger, which scrubs on its own.
 */
export function scrubConsole(target: Console = console): void {
  const marked = target as unknown as Record<symbol, boolean>;
  if (marked[INSTALLED]) return;
  for (const level of LEVELS) {
    const original = target[level].bind(target);
    target[level] = (...args: unknown[]) => original(...args.map(clean));
  }
  marked[INSTALLED] = true;
}
