import "server-only";
import type { Executor } from "@/lib/database";
import { auditWriter, type PreparedEvent } from "./append";
import type { AuditAction } from "./catalogue";
import { asStoredJson, newSalt, personalDigest } from "./chain";
import { AUDIT_RETENTION, categoryOf } from "./retention";

export type AuditActor = {
  type: "user" | "support" | "admin" | "system" | "cron" | "anonymous";
  id: string | null;
};

/** Who acted, from the request: a system principal by name (`cron:renewals`), a signed-in user by role, else anonymous. */
export function actorOf(request: { user: { id: string; role: string } | null; system?: string | null }): AuditActor {
  if (request.system) return { type: "system", id: request.system };
  const user = request.user as { id: string; role: "user" | "support" | "admin" } | null;
  return user ? { type: user.role, id: user.id } : { type: "anonymous", id: null };
}

/** The actor as one string, for `updated_by`-style columns and four-eyes comparisons: `admin:<uuid>`, `system:cli:ops`. */
export function actorLabel(actor: AuditActor): string {
  return `${actor.type}:${actor.id}`;
}

export type AuditEventInput = {
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string | null };
  outcome: "success" | "denied" | "failure";
  metadata?: Record<string, unknown>;
  requestId?: string | null;
  /** Where the request came from; stored as personal data, outside the chain. */
  request?: {
    requestId?: string | null;
    ip?: string | null;
    userAgent?: string | null;
    impersonation?: { impersonatorId: string } | null;
  };
};

const SECRET_KEYS = /pass(word)?|secret|token|hash|authorization|cookie|api[-_]?key|card|cvc|otp/i;
/** Keys whose values identify a person: moved to audit_event_personal, never hashed into the chain. */
const PERSONAL_KEYS = /^(e-?mail|emails?|name|full_?name|display_?name|ip|ip_?address|user_?agent|ua|phone|address)$/i;

/** Secrets never reach the audit table, whatever a caller passes in metadata. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v)]),
    );
  }
  return value;
}

/**
 * Splits metadata into what is chained (pseudonymous) and what is personal.
 * Nested objects (e.g. `before`/`after`) are split the same way, keeping shape.
 */
export function splitPersonal(value: Record<string, unknown>): { chained: Record<string, unknown>; personal: Record<string, unknown> | null } {
  const chained: Record<string, unknown> = {};
  const personal: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (PERSONAL_KEYS.test(key)) {
      personal[key] = v;
    } else if (v && typeof v === "object" && !Array.isArray(v)) {
      const inner = splitPersonal(v as Record<string, unknown>);
      chained[key] = inner.chained;
      if (inner.personal) personal[key] = inner.personal;
    } else {
      chained[key] = v;
    }
  }
  return { chained, personal: Object.keys(personal).length > 0 ? personal : null };
}

/** The user whose personal data an event holds: the target when it is a user, else the actor. */
function subjectOf(event: AuditEventInput): string | null {
  if (event.target?.type === "user" && event.target.id) return event.target.id;
  return event.actor.type === "user" || event.actor.type === "support" || event.actor.type === "admin" ? event.actor.id : null;
}

function sampledOut(action: string, outcome: AuditEventInput["outcome"]): boolean {
  if (outcome !== "success") return false;
  const rate = AUDIT_RETENTION[categoryOf(action)].sampleRate;
  return rate < 1 && Math.random() >= rate;
}

/** Fixes an event's content as the database will store it (so the hash computed now is the one verify recomputes). */
export function prepareAuditEvent(event: AuditEventInput, occurredAt = new Date()): PreparedEvent {
  const { chained, personal } = splitPersonal(redact(event.metadata ?? {}) as Record<string, unknown>);
  // Callers that pass ip/user agent in metadata (sign-in) get them stored like request context.
  const ip = event.request?.ip ?? (typeof personal?.ip === "string" ? personal.ip : null);
  const userAgent = event.request?.userAgent ?? (typeof personal?.userAgent === "string" ? personal.userAgent : null);
  const personalRow =
    personal || ip || userAgent ? { salt: newSalt(), subjectUserId: subjectOf(event), ip, userAgent, data: asStoredJson(personal ?? {}) } : null;
  return {
    // Millisecond precision: the hash covers occurred_at, and JS dates carry no more.
    occurredAt,
    actorType: event.actor.type,
    actorId: event.actor.id,
    impersonatorId: event.request?.impersonation?.impersonatorId ?? null,
    action: event.action,
    category: categoryOf(event.action),
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    outcome: event.outcome,
    metadata: asStoredJson(chained),
    requestId: event.request?.requestId ?? event.requestId ?? null,
    personal: personalRow,
    personalDigest: personalRow ? personalDigest(personalRow) : null,
  };
}

/**
 * Writes one audit event on the given executor: pass the action's
 * transaction so both commit or neither. The event and its personal row go
 * in one statement that also moves the head of one of its category's lanes, so
 * concurrent writers always produce a valid chain (lib/audit/append.ts).
 */
export async function recordAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  if (sampledOut(event.action, event.outcome)) return;
  await auditWriter.append(db, prepareAuditEvent(event));
}
