import "server-only";
import { readOnlyDb } from "@/lib/database";
import { defineLink, fail } from "@/lib/safety";

/**
 * Read-only support sessions. While staff view a user's account every
 * procedure is refused with `read_only`, except those declared
 * `allowDuringImpersonation` (ending the session, reporting a problem), and
 * even those get a database handle that refuses writes to anything but the
 * tables they name and the operational bookkeeping tables.
 */
export const refuseDuringSupportSession = defineLink({
  name: "read-only",
  around: async (call, next) => {
    if (!call.request.impersonation) return next();
    if (!call.def.allowDuringImpersonation && call.kind === "action") return fail("read_only");
    return next();
  },
  database: (call, db) => {
    if (!call.request.impersonation) return db;
    const allowed = call.def.allowDuringImpersonation;
    return readOnlyDb(db, "read-only support session", typeof allowed === "object" ? allowed.writes : []);
  },
});
