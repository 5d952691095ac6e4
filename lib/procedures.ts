import "server-only";
import { getDb } from "@/lib/database";
import { recordEnvironmentOverrides, type AuditAction, type AuditActor } from "@/lib/audit";
import { auditTrail } from "@/lib/audit/link";
import type { Permission, SessionUser } from "@/lib/auth";
import { requirePermission } from "@/lib/auth/link";
import { observeEnvironmentOverrides, requireKillSwitch } from "@/lib/flags/link";
import type { Impersonation } from "@/lib/impersonation";
import { refuseDuringSupportSession } from "@/lib/impersonation/link";
import { refuseDuringMaintenance } from "@/lib/maintenance/link";
import { outbox } from "@/lib/notifications/link";
import { reportErrors } from "@/lib/observability/link";
import { logger } from "@/lib/observability";
import { enforceRateLimit } from "@/lib/ratelimit/link";
import { createKernel, validateInput } from "@/lib/safety";
import { requireSameOrigin } from "@/lib/security/link";
import { countOutcomes } from "@/lib/status/link";

/**
 * The composition root of the guarded path: every guard, in the order a call
 * meets it. A mutation declared with `defineAction` and a read declared with
 * `defineQuery` both travel this chain; each link lives in the capability
 * that owns it. Adding a safeguard = one link in its capability + one line here.
 *
 *   outcomes → errors → audit → same origin → permission → read-only → maintenance → kill switch → input → rate limit
 *          → [prepare] → transaction { handler, audit event } → [afterCommit] → outbox delivery
 *
 * Input comes before the rate limit: a malformed request costs nobody's
 * budget (junk can't lock a real user out), and a limited refusal is
 * recorded against the target the input names.
 */
type AppTypes = {
  user: SessionUser;
  impersonation: Impersonation;
  permission: Permission;
  auditAction: AuditAction;
  auditActor: AuditActor;
};

const kernel = createKernel<AppTypes>()(
  {
    database: getDb,
    onAfterCommitError: (error, call) => logger.error({ err: error, action: call.def.name, requestId: call.request.requestId }, "after-commit step failed"),
    onCompensationError: (error, call) => logger.error({ err: error, action: call.def.name, requestId: call.request.requestId }, "compensation failed"),
  },
  [
    countOutcomes, // per-minute counts of people's actions; a server fault is an error (availability, auto-kill)
    reportErrors, // an unexpected error becomes `internal` with an error id; one log line per call
    auditTrail, // refusals recorded as denied; an action's event written in its transaction
    requireSameOrigin, // browser mutations only from this app's own pages
    requirePermission, // session + permission; system principals only where declared
    refuseDuringSupportSession, // read-only support sessions change nothing
    refuseDuringMaintenance, // read-only maintenance: writes refused, except the switch itself and the ops CLI
    requireKillSwitch, // the declared kill switch must be on
    validateInput, // zod, with per-field messages (and no NUL bytes)
    enforceRateLimit, // the declared policy's budget, spent only by well-formed calls
    outbox, // notify() queues email in the transaction; delivered after commit
  ] as const,
);

// FLAG_* overrides a process serves are written to the audit log when it first sees them.
observeEnvironmentOverrides(recordEnvironmentOverrides);

export const { defineAction, defineQuery } = kernel;

/** Every procedure defined in this process, by name: tests walk them all. */
export const procedureRegistry = kernel.registry;

export { ActionFailure, systemContext, type ActionResult, type RequestContext } from "@/lib/safety";
