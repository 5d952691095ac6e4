import type { AuditRow } from "./query";

const COLUMNS = ["id", "occurredAt", "actorType", "actorId", "impersonatorId", "action", "category", "targetType", "targetId", "outcome", "requestId", "ip", "userAgent", "metadata"] as const;

/** One CSV cell: quoted, and a leading formula character neutralised so a spreadsheet never executes it. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvHeader(): string {
  return `${COLUMNS.join(",")}\n`;
}

export function csvLine(row: AuditRow): string {
  const merged = { ...row, metadata: row.personal ? { ...row.metadata, personal: row.personal } : row.metadata };
  return `${COLUMNS.map((c) => csvCell(merged[c])).join(",")}\n`;
}

export function jsonRecord(row: AuditRow): string {
  const { personal, ...rest } = row;
  return JSON.stringify({ ...rest, occurredAt: row.occurredAt.toISOString(), personal });
}

/**
 * Streams the filtered set without holding it in memory: CSV lines, or a
 * JSON array written element by element.
 */
export function streamAuditExport(rows: AsyncIterable<AuditRow>, format: "csv" | "json"): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = rows[Symbol.asyncIterator]();
  let first = true;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(format === "csv" ? csvHeader() : "["));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        if (format === "json") controller.enqueue(encoder.encode("]\n"));
        controller.close();
        return;
      }
      const chunk = format === "csv" ? csvLine(next.value) : `${first ? "" : ","}\n${jsonRecord(next.value)}`;
      first = false;
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
