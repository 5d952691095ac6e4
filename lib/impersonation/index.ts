/**
 * Read-only impersonation hook. While a support session views a user, the
 * request context carries the impersonator and the guarded path refuses
 * every write with `read_only`. The impersonation issue fills this in.
 */
export type Impersonation = { impersonatorId: string; impersonatorRole: "support" | "admin" };
