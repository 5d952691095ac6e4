import { defineLink, failureOf } from "@/lib/safety";
import { logger } from "./logger";
import { captureServerError, tagRequestScope } from "./sentry";

/**
 * The outermost link: tags the error tracker's scope with the request, logs
 * one line per call with its outcome, keeps the code of a branded error (a
 * dependency that is down), and turns an unexpected error into
 * `internal` carrying an error id (the Sentry event id when Sentry is on), so
 * nothing raw ever reaches a user.
 */
export const reportErrors = defineLink({
  name: "errors",
  around: async (call, next) => {
    const { request, def } = call;
    const userId = request.user?.id ?? null;
    const base = { action: def.name, userId, system: request.system ?? undefined, requestId: request.requestId };
    tagRequestScope({ requestId: request.requestId, userId, action: def.name });
    try {
      const result = await next();
      if (call.kind === "action" || !result.ok) logger.info({ ...base, outcome: result.ok ? "ok" : result.code }, result.ok ? "action ok" : "action refused");
      return result;
    } catch (error) {
      // A failure with a known code (a database that stopped answering is `dependency_down`) is not a bug to report.
      const known = failureOf(error);
      if (known) {
        logger.warn({ err: error, ...base, outcome: known.code }, "action refused");
        return known;
      }
      const errorId = captureServerError(error, { requestId: request.requestId, userId, action: def.name });
      logger.error({ err: error, errorId, ...base, outcome: "internal" }, "action failed");
      return { ok: false, code: "internal", message: "Something went wrong on our side; nothing was changed.", errorId };
    }
  },
});
