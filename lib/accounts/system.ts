import type { SessionUser } from "@/lib/auth/types";
import { systemContext, type RequestContext } from "@/lib/safety/context";

/**
 * Who jobs and the ops CLI act as when they run a guarded action. Not a row
 * in `users`: nobody can sign in as it. Their audit events name the `cron`
 * or `system` actor through each action's `audit.actor`.
 */
export const SYSTEM_USER: SessionUser = {
  id: "00000000-0000-0000-0000-000000000000",
  email: "system@breakwater.invalid",
  name: "Breakwater system",
  role: "admin",
  status: "active",
};

export function systemRequest(): RequestContext {
  return systemContext({ user: SYSTEM_USER });
}
