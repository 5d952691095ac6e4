/**
 * Every date a person reads, in one format: UTC, to the minute (or the day),
 * inside a <time> element carrying the exact instant for machines and
 * screen readers. Dates from JSON arrive as strings; both are accepted.
 */
type DateLike = Date | string | number;

function toDate(value: DateLike): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "2026-11-11 14:03 UTC" (or "2026-11-11" with `day`), for text that isn't markup (titles, aria labels). */
export function formatDate(value: DateLike, precision: "minute" | "second" | "day" = "minute"): string {
  const iso = toDate(value).toISOString();
  if (precision === "day") return iso.slice(0, 10);
  return `${iso.slice(0, precision === "second" ? 19 : 16).replace("T", " ")} UTC`;
}

export function DateTime({ value, precision = "minute", className }: { value: DateLike | null | undefined; precision?: "minute" | "second" | "day"; className?: string }) {
  if (value === null || value === undefined) return <span className={className}>—</span>;
  return (
    <time dateTime={toDate(value).toISOString()} className={className}>
      {formatDate(value, precision)}
    </time>
  );
}
