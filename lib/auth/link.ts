import { defineLink } from "@/lib/safety";
import { fail } from "@/lib/safety";
import { hasPermission, type Permission } from "./permissions";
import type { Role } from "./types";

/**
 * Session and permission, first of the guards. A procedure declares who may
 * call it: a permission from the role table, "public" (anyone, signed in or
 * not), "system" (only jobs and the ops CLI), or a list of these. A system
 * principal is refused everywhere it is not declared; a web request never
 * carries one.
 */
export const requirePermission = defineLink({
  name: "permission",
  around: async (call, next) => {
    const declared = call.def.permission as string | readonly string[];
    const allowed = typeof declared === "string" ? [declared] : declared;
    const { system, user } = call.request;
    if (system) return allowed.includes("system") ? next() : fail("forbidden", "This can't be run by a job or the ops CLI.");
    if (allowed.includes("public")) return next();
    const permissions = allowed.filter((p) => p !== "system") as Permission[];
    if (permissions.length === 0) return fail("forbidden", "Only a background job or the ops CLI can do this.");
    if (!user) return fail("unauthenticated");
    if (!permissions.some((p) => hasPermission(user.role as Role, p))) return fail("forbidden");
    return next();
  },
});
