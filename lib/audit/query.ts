import "server-only";
import { and, desc, eq, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/lib/database";
import { auditEventPersonal, auditEvents } from "@/db/schema";
import { AUDIT_ACTIONS } from "./catalogue";

/** One event as the UI shows it: chained fields plus whatever personal data is still on file. */
export type AuditRow = {
  id: number;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  impersonatorId: string | null;
  action: string;
  category: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  metadata: Record<string, unknown>;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  personal: Record<string, unknown> | null;
};

const selection = {
  id: auditEvents.id,
  occurredAt: auditEvents.occurredAt,
  actorType: auditEvents.actorType,
  actorId: auditEvents.actorId,
  impersonatorId: auditEvents.impersonatorId,
  action: auditEvents.action,
  category: auditEvents.category,
  targetType: auditEvents.targetType,
  targetId: auditEvents.targetId,
  outcome: auditEvents.outcome,
  metadata: auditEvents.metadata,
  requestId: auditEvents.requestId,
  ip: auditEventPersonal.ip,
  userAgent: auditEventPersonal.userAgent,
  // An erased row keeps only the fact of its erasure: no personal data to show.
  personal: sql`case when ${auditEventPersonal.erasedAt} is null then ${auditEventPersonal.data} end`.mapWith(auditEventPersonal.data),
};

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const idLike = z.preprocess(emptyToUndefined, z.string().trim().max(200, "Use at most 200 characters.").optional());
const dateLike = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .max(40)
    .refine((v) => !Number.isNaN(Date.parse(v)), "Enter a date like 2026-01-31 or 2026-01-31T12:00.")
    .transform((v) => new Date(v))
    .optional(),
);

/** The admin filter form, validated: bad dates or unknown values are an error, never a silent "all". */
export const auditFilterSchema = z
  .object({
    actor: idLike,
    targetType: idLike,
    target: idLike,
    action: z.preprocess(emptyToUndefined, z.enum(AUDIT_ACTIONS, "Choose an action from the list.").optional()),
    outcome: z.preprocess(emptyToUndefined, z.enum(["success", "denied", "failure"], "Choose success, denied or failure.").optional()),
    from: dateLike,
    to: dateLike,
    /** Keyset cursor: show events with a smaller id than this. */
    before: z.preprocess(emptyToUndefined, z.coerce.number().int().positive("Bad page cursor.").optional()),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The start date is after the end date.", path: ["from"] });

export type AuditFilter = z.output<typeof auditFilterSchema>;

/** A filter as the audit event of a search or export records it: only the fields set, dates as ISO strings. */
export function filterForRecord(filter: AuditFilter): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
}

/** Search params arrive as string | string[]; the filter takes the first of each. */
export function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") out[key] = first;
  }
  return out;
}

function whereFor(filter: AuditFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.actor) conditions.push(or(eq(auditEvents.actorId, filter.actor), eq(auditEvents.impersonatorId, filter.actor))!);
  if (filter.target) conditions.push(eq(auditEvents.targetId, filter.target));
  if (filter.targetType) conditions.push(eq(auditEvents.targetType, filter.targetType));
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.outcome) conditions.push(eq(auditEvents.outcome, filter.outcome));
  if (filter.from) conditions.push(sql`${auditEvents.occurredAt} >= ${filter.from.toISOString()}`);
  if (filter.to) conditions.push(sql`${auditEvents.occurredAt} <= ${filter.to.toISOString()}`);
  if (filter.before) conditions.push(lt(auditEvents.id, filter.before));
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/**
 * One page of events, newest first, by keyset (id < cursor) so page 1,000
 * costs what page 1 does. Returns the cursor for the next page, if any.
 */
export async function searchAuditEvents(db: Executor, filter: AuditFilter, limit = 50): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  const rows = await db
    .select(selection)
    .from(auditEvents)
    .leftJoin(auditEventPersonal, eq(auditEventPersonal.eventId, auditEvents.id))
    .where(whereFor(filter))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit) as AuditRow[];
  return { rows: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** Every matching event, newest first, in batches: for streamed exports. */
export async function* iterateAuditEvents(db: Executor, filter: AuditFilter, batchSize = 1000): AsyncGenerator<AuditRow> {
  let before = filter.before;
  for (;;) {
    const { rows, nextBefore } = await searchAuditEvents(db, { ...filter, before }, batchSize);
    yield* rows;
    if (nextBefore === null) return;
    before = nextBefore;
  }
}

/**
 * A user's timeline: what they did and what was done to their account
 * (including support sessions). Two index-backed lookups merged, newest first.
 */
export async function userTimeline(db: Executor, userId: string, options: { limit?: number; actions?: readonly string[] } = {}): Promise<AuditRow[]> {
  const limit = options.limit ?? 100;
  const actionFilter = options.actions ? inArray(auditEvents.action, [...options.actions]) : undefined;
  const query = (where: SQL) =>
    db
      .select(selection)
      .from(auditEvents)
      .leftJoin(auditEventPersonal, eq(auditEventPersonal.eventId, auditEvents.id))
      .where(actionFilter ? and(where, actionFilter) : where)
      .orderBy(desc(auditEvents.id))
      .limit(limit);
  const [asActor, asTarget] = await Promise.all([
    query(eq(auditEvents.actorId, userId)),
    query(and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, userId))!),
  ]);
  const byId = new Map<number, AuditRow>();
  for (const row of [...asActor, ...asTarget] as AuditRow[]) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
}
