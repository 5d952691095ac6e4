/**
 * Which statements the pool sends as prepared statements. Drizzle prepares a
 * query only when it is given a name, so without this every query is parsed
 * and planned by the server on every call: a tenth to a half of a millisecond
 * each here (the session lookup 380 µs unprepared, 180 µs prepared; the audit
 * append spent 0.7 of its 1 ms in parse and plan).
 *
 * A statement is prepared from the second time its text is seen, so one-off
 * texts never take a slot. Prepared statements live on each connection until
 * it closes (postgres.js never drops one), so the number of texts is bounded:
 * after `budget` texts, further texts run as before, unprepared. Texts seen
 * once are remembered up to `tracked`, the oldest forgotten first, so a flood
 * of distinct texts (a list of varying length spelled into the SQL) costs
 * bounded memory and does not stop a hot text from being recognised later.
 * Texts longer than `maxLength` (a multi-row insert, say: its shape changes
 * with its row count) are never remembered or prepared.
 *
 * Behind a transaction-mode pooler the client is opened with prepare: false
 * and prepares nothing whatever this says (a prepared statement would stay on
 * a server connection the next transaction may not get).
 */
export type PreparePolicy = (text: string) => boolean;

export function preparePolicy(options: { budget: number; tracked: number; maxLength: number } = { budget: 256, tracked: 1024, maxLength: 8192 }): PreparePolicy {
  const prepared = new Set<string>();
  const seen = new Set<string>();
  return (text) => {
    if (text.length > options.maxLength) return false;
    if (prepared.has(text)) return true;
    if (!seen.has(text)) {
      if (seen.size >= options.tracked) seen.delete(seen.values().next().value!);
      seen.add(text);
      return false;
    }
    if (prepared.size >= options.budget) return false;
    seen.delete(text);
    prepared.add(text);
    return true;
  };
}
