import type { Executor } from "@/db/client";
import type { SessionUser } from "@/lib/auth/types";
import type { AuditFilter } from "./query";
import { recordAuditEvent } from "./record";

/** Reading the audit log is itself audited: who searched or exported, with which filter. */
export async function recordAuditRead(
  db: Executor,
  reader: SessionUser,
  read: { kind: "search" | "export"; filter: AuditFilter; format?: "csv" | "json"; resultCount?: number; requestId?: string | null },
): Promise<void> {
  const filter = Object.fromEntries(
    Object.entries(read.filter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
  await recordAuditEvent(db, {
    actor: { type: reader.role === "user" ? "user" : reader.role, id: reader.id },
    action: read.kind === "search" ? "audit.search" : "audit.export",
    target: { type: "audit_log", id: null },
    outcome: "success",
    metadata: { filter, format: read.format, resultCount: read.resultCount },
    request: { requestId: read.requestId ?? null },
  });
}
