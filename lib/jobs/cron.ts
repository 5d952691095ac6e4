/**
 * Just enough cron (five fields, UTC: `*`, `*\/n`, `a-b`, `a,b`, numbers) to
 * know a schedule's longest gap between runs, which the dead-man's switch needs.
 */
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

function parseField(field: string, [min, max]: [number, number]): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const [range = "", stepRaw] = part.split("/");
    const step = stepRaw === undefined ? 1 : Number(stepRaw);
    const bounds = range === "*" ? [min, max] : range.split("-").map(Number);
    const from = bounds[0] ?? Number.NaN;
    const to = bounds[1] ?? (stepRaw === undefined ? from : max);
    if (![from, to, step].every((n) => Number.isInteger(n)) || from < min || to > max || from > to || step < 1) {
      throw new Error(`Bad cron field "${field}"`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): (date: Date) => boolean {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`Cron "${expression}" must have five fields`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, RANGES[i]!));
  return (d) =>
    minute!.has(d.getUTCMinutes()) && hour!.has(d.getUTCHours()) && dom!.has(d.getUTCDate()) && month!.has(d.getUTCMonth() + 1) && dow!.has(d.getUTCDay());
}

/** The longest gap between consecutive runs over the next 8 days, in ms. */
export function cronIntervalMs(expression: string, from = new Date(Date.UTC(2026, 0, 5))): number {
  const matches = parseCron(expression);
  const start = Math.floor(from.getTime() / 60_000) * 60_000;
  let previous: number | null = null;
  let longest = 0;
  for (let t = start; t < start + 8 * 24 * 3_600_000; t += 60_000) {
    if (!matches(new Date(t))) continue;
    if (previous !== null) longest = Math.max(longest, t - previous);
    previous = t;
  }
  if (previous === null) throw new Error(`Cron "${expression}" never fires within 8 days`);
  return longest || 8 * 24 * 3_600_000;
}
