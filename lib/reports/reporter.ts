import "server-only";
import type { SessionUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability";
import type { RequestContext } from "@/lib/safety";
import { flagsForReport } from "./server-context";

/**
 * What the report dialog shows the user about themselves, for this request.
 * Display only: the server recomputes all of it from the session when the
 * report arrives.
 */
export async function reporterInfo(request: RequestContext<SessionUser>) {
  const flags = await flagsForReport(request.user).catch((error: unknown) => {
    logger.warn({ err: error, requestId: request.requestId }, "could not evaluate flags for the report dialog");
    return null;
  });
  return {
    appVersion: env.appVersion,
    environment: env.appEnv,
    user: request.user ? { id: request.user.id, email: request.user.email } : null,
    impersonating: request.impersonation !== null,
    flags,
  };
}
