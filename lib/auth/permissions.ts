import type { Role } from "@/db/schema";

/**
 * Role → permissions, the one table every guarded action and admin page
 * checks. A page hiding a button is never the guard: the action checks too.
 */
export const PERMISSIONS = {
  /** Own account, projects and billing. */
  "self:write": ["user", "support", "admin"],
  /** Read the admin area: users, outbox, audit. */
  "admin:read": ["support", "admin"],
  /** Support work on a customer's behalf: triage reports, cancel a pending deletion, start a read-only view. */
  "support:write": ["support", "admin"],
  /** Change other people's accounts, roles, flags. */
  "admin:write": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
