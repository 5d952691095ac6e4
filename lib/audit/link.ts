import "server-only";
import { getDb, type Executor } from "@/lib/database";
import { defineLink, type Call, type ErrorCode } from "@/lib/safety";
import { logger } from "@/lib/observability";
import type { AuditAction } from "./catalogue";
import { actorOf, recordAuditEvent, type AuditActor } from "./record";

/** Refusals worth a record: someone tried something and was stopped, or a dependency failed them. */
const RECORDED_REFUSALS: ReadonlyMap<ErrorCode, "denied" | "failure"> = new Map([
  ["forbidden", "denied"],
  ["read_only", "denied"],
  ["disabled", "denied"],
  ["rate_limited", "denied"],
  ["payment_failed", "failure"],
  ["dependency_down", "failure"],
]);

function auditContext(call: Call) {
  return { input: call.input, data: call.data, user: call.request.user, request: call.request } as never;
}

/**
 * Who tried a refused call. During a read-only support session the request's
 * user is the customer being viewed, but the one who pressed the button is
 * the staff member: they are the actor, and the customer is named as the
 * subject, so a refused attempt is never written down as the customer's own.
 */
function refusalActor(call: Call): { actor: AuditActor; subject?: string } {
  const { impersonation, user } = call.request;
  if (!impersonation) return { actor: actorOf(call.request) };
  return { actor: { type: impersonation.impersonatorRole as AuditActor["type"], id: impersonation.impersonatorId }, subject: user?.id };
}

async function record(db: Executor, call: Call, outcome: "success" | "denied" | "failure", extra?: Record<string, unknown>) {
  const audit = call.def.audit!;
  const c = auditContext(call);
  const refused = outcome === "success" ? null : refusalActor(call);
  await recordAuditEvent(db, {
    actor: refused?.actor ?? (audit.actor?.(c) as AuditActor | undefined) ?? actorOf(call.request),
    action: audit.action as AuditAction,
    target: outcome === "success" || call.input !== undefined ? audit.target(c) : undefined,
    outcome,
    metadata: outcome === "success" ? audit.metadata?.(c) : { ...extra, action: call.def.name, subject: refused?.subject },
    // ip, user agent, impersonator: the audit log keeps them (personal data outside the chain)
    request: call.request,
  });
}

/**
 * The audit trail of every procedure: an action's event is written inside its
 * transaction (a change that commits always has its event, one that rolls
 * back has none); a refusal is recorded as `denied` (or `failure` when a
 * dependency failed it); a query records its event only when it declares one.
 */
export const auditTrail = defineLink({
  name: "audit",
  around: async (call, next) => {
    const result = await next();
    if (!call.def.audit) return result;
    if (result.ok) {
      if (call.kind === "query") await record(await getDb(), call, "success");
      return result;
    }
    const outcome = RECORDED_REFUSALS.get(result.code);
    if (outcome) {
      await record(await getDb(), call, outcome, { code: result.code }).catch((error: unknown) =>
        logger.error({ err: error, action: call.def.name }, "could not record refused action"),
      );
    }
    return result;
  },
  inTransaction: async (call, tx) => {
    if (call.def.audit) await record(tx, call, "success");
  },
});
