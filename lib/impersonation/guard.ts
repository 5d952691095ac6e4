import { setWriteGuard } from "@/db/client";
import { readImpersonationCookie } from "./cookie-store";
import { isImpersonationCookieActive } from "./session";

/**
 * Registers the data-access guard: any request carrying an open support
 * session's cookie gets a database handle that refuses writes, whatever
 * code path it takes. Imported for its effect by lib/auth/session.ts.
 */
setWriteGuard(async (db) => {
  const value = await readImpersonationCookie();
  if (!value) return null;
  return (await isImpersonationCookieActive(db, value)) ? "read-only support session" : null;
});
