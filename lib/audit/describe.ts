import { AUDIT_CATALOGUE, isAuditAction } from "./catalogue";
import type { AuditRow } from "./query";

/** A plain sentence for an event, from the catalogue; an action no longer in it falls back to its code (staff pages only). */
export function describeAuditEvent(row: Pick<AuditRow, "action" | "outcome">): string {
  const base = isAuditAction(row.action) ? AUDIT_CATALOGUE[row.action].sentence : row.action;
  if (row.action === "auth.sign_in" && row.outcome !== "success") return "Failed sign-in attempt";
  if (row.outcome === "denied") return `${base} (refused)`;
  if (row.outcome === "failure") return `${base} (failed)`;
  return base;
}

/** "Chrome on Linux"-style label from a user agent, without a parser dependency. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "unknown device";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Chrome\//.test(userAgent) ? "Chrome" : /Firefox\//.test(userAgent) ? "Firefox" : /Safari\//.test(userAgent) ? "Safari" : "a browser";
  const os = /Windows/.test(userAgent) ? "Windows" : /Mac OS X/.test(userAgent) ? "macOS" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Linux/.test(userAgent) ? "Linux" : "an unknown system";
  return `${browser} on ${os}`;
}
