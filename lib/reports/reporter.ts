import "server-only";
import { getRequestContext } from "@/lib/auth";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { flagsForReport } from "./server-context";

/**
 * What the report dialog shows the user about themselves, computed by the
 * server for the current request. Display only: the server recomputes all of
 * it from the session when the report arrives.
 */
export async function reporterInfoFor() {
  const request = await getRequestContext();
  const flags = await flagsForReport(request.user).catch((error: unknown) => {
    logger.warn({ err: error, requestId: request.requestId }, "could not evaluate flags for the report dialog");
    return null;
  });
  return {
    requestId: request.requestId,
    info: {
      appVersion: env.appVersion,
      environment: env.appEnv,
      user: request.user ? { id: request.user.id, email: request.user.email } : null,
      impersonating: request.impersonation !== null,
      flags,
    },
  };
}
