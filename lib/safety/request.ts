/**
 * Who is asking, and from where. A web request carries a signed-in user (or
 * nobody) and, during a read-only support session, the staff member behind
 * it. Jobs and the ops CLI carry a system principal instead: a name such as
 * `cron:renewals` or `cli:ops`, which no web request can ever hold; a
 * provider's webhook carries `webhook:<provider>`, given only by the webhook
 * adapter to a procedure that verifies the provider's signature itself.
 */
export type SystemName = `cron:${string}` | `cli:${string}` | `webhook:${string}`;

const SYSTEM_NAME = /^(cron|cli|webhook):[a-z][a-z0-9_-]{0,62}$/;

export function isSystemName(name: string): name is SystemName {
  return SYSTEM_NAME.test(name);
}

/** The minimum the kernel needs of a signed-in user; the app's own user type is richer. */
export type KernelUser = { id: string; role: string };

/** The staff member behind a read-only support session. */
export type KernelImpersonation = { impersonatorId: string; impersonatorRole: string };

export type RequestContext<U extends KernelUser = KernelUser, I extends KernelImpersonation = KernelImpersonation> = {
  user: U | null;
  /** Set while staff view `user`'s account read-only. */
  impersonation: I | null;
  /** Set only for jobs and the ops CLI; a web request never carries it. */
  system: SystemName | null;
  /** How the call arrived: the same-origin rule applies to browser mutations only. */
  via: "server_action" | "route" | "page" | "job" | "cli" | "webhook" | "test";
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** Browser provenance, for the same-origin rule on mutations (null outside a web request). */
  origin?: { origin: string | null; secFetchSite: string | null; host: string | null } | null;
};

/** The context of a job or an ops CLI command: no user, no browser, a named system principal. */
export function systemContext(name: SystemName, overrides: Partial<Pick<RequestContext, "requestId">> = {}): RequestContext<never, never> {
  if (!isSystemName(name)) throw new Error(`"${name}" is not a system principal (cron:<job>, cli:<command> or webhook:<provider>)`);
  return {
    user: null,
    impersonation: null,
    system: name,
    via: name.startsWith("cron:") ? "job" : name.startsWith("webhook:") ? "webhook" : "cli",
    requestId: overrides.requestId ?? crypto.randomUUID(),
    ip: null,
    userAgent: null,
    origin: null,
  };
}
