import type { SessionUser } from "@/lib/auth/types";
import type { Impersonation } from "@/lib/impersonation";

/** Everything a guard needs to know about who is asking, and from where. */
export type RequestContext = {
  user: SessionUser | null;
  impersonation: Impersonation | null;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
};

export function systemContext(overrides: Partial<RequestContext> = {}): RequestContext {
  return { user: null, impersonation: null, requestId: crypto.randomUUID(), ip: null, userAgent: null, ...overrides };
}
