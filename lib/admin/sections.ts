import type { Role } from "@/lib/auth";
// The role table itself, not the auth face: the face also loads the session machinery (Auth.js), which a read needs not.
import { hasPermission, type Permission } from "@/lib/auth";

/** One area of /admin: where it lives, what it is called and for, and who may open it. */
export type AdminSection = { href: string; label: string; description: string; permission: Permission };

/** The sections a viewer may open; someone who isn't staff sees none (no admin navigation at all). */
export function sectionsVisibleTo<S extends AdminSection>(viewer: { role: Role } | null, sections: readonly S[]): S[] {
  if (!viewer || !hasPermission(viewer.role, "admin:read")) return [];
  return sections.filter((s) => hasPermission(viewer.role, s.permission));
}
