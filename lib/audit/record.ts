import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { AuditAction } from "./catalogue";

export type AuditActor = {
  type: "user" | "support" | "admin" | "system" | "cron" | "anonymous";
  id: string | null;
};

export type AuditEventInput = {
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string | null };
  outcome: "success" | "denied" | "failure";
  metadata?: Record<string, unknown>;
  requestId?: string | null;
};

const SECRET_KEYS = /pass(word)?|secret|token|hash|authorization|cookie/i;

/** Secrets never reach the audit table, whatever a caller passes in metadata. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v)]),
    );
  }
  return value;
}

/** Writes one audit event on the given executor: pass the action's transaction so both commit or neither. */
export async function recordAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  await db.insert(auditEvents).values({
    actorType: event.actor.type,
    actorId: event.actor.id,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    outcome: event.outcome,
    metadata: redact(event.metadata ?? {}) as Record<string, unknown>,
    requestId: event.requestId ?? null,
  });
}
