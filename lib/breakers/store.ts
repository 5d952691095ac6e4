import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Redis } from "@upstash/redis";
import { getDb } from "@/lib/database";
import { breakerStates } from "@/db/schema";
import { withTimeout } from "./redis";

export type SharedState = {
  state: "closed" | "open" | "half_open";
  forced: "open" | "closed" | null;
  /** Epoch ms after which an open breaker may be probed. */
  cooldownUntil: number;
  version: number;
};

export const INITIAL: SharedState = { state: "closed", forced: null, cooldownUntil: 0, version: 0 };

/**
 * Where instances share breaker state. Only transitions go through here
 * (compare-and-set on `version`), plus the half-open probe election.
 */
export interface BreakerStore {
  readonly kind: "redis" | "postgres" | "memory";
  read(name: string): Promise<SharedState>;
  /** Writes `next` only if the stored version is still `expected`; returns the stored state after. */
  transition(name: string, expected: number, next: Omit<SharedState, "version">): Promise<{ ok: boolean; state: SharedState }>;
  /** True for exactly one caller until `ttlMs` passes or it is released. */
  claimProbe(name: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseProbe(name: string, owner: string): Promise<void>;
}

const STORE_TIMEOUT_MS = 500;

export class PostgresBreakerStore implements BreakerStore {
  readonly kind = "postgres" as const;

  async read(name: string): Promise<SharedState> {
    const db = await getDb();
    const [row] = await withTimeout(db.select().from(breakerStates).where(eq(breakerStates.name, name)), STORE_TIMEOUT_MS, "breaker store");
    return row ? toShared(row) : { ...INITIAL };
  }

  async transition(name: string, expected: number, next: Omit<SharedState, "version">) {
    const db = await getDb();
    const values = {
      state: next.state,
      forced: next.forced,
      cooldownUntil: next.cooldownUntil ? new Date(next.cooldownUntil) : null,
      openedAt: next.state === "open" ? new Date() : undefined,
      updatedAt: new Date(),
    };
    const work = async () => {
      if (expected === 0) {
        // First transition ever for this breaker: the row does not exist yet.
        const [inserted] = await db
          .insert(breakerStates)
          .values({ name, ...values, version: 1 })
          .onConflictDoNothing()
          .returning();
        if (inserted) return { ok: true, state: toShared(inserted) };
      }
      const [updated] = await db
        .update(breakerStates)
        .set({
          ...values,
          version: sql`${breakerStates.version} + 1`,
          // Entering half-open keeps the elected prober; leaving it frees the election.
          ...(next.state === "half_open" ? {} : { probeOwner: null, probeUntil: null }),
        })
        .where(and(eq(breakerStates.name, name), eq(breakerStates.version, expected)))
        .returning();
      if (updated) return { ok: true, state: toShared(updated) };
      return { ok: false, state: await this.read(name) };
    };
    return withTimeout(work(), STORE_TIMEOUT_MS, "breaker store");
  }

  async claimProbe(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const db = await getDb();
    const now = new Date();
    // A conditional UPDATE is atomic per row: of N concurrent claims exactly one matches.
    const rows = await withTimeout(
      db
        .update(breakerStates)
        .set({ probeOwner: owner, probeUntil: new Date(now.getTime() + ttlMs) })
        .where(and(eq(breakerStates.name, name), or(isNull(breakerStates.probeUntil), lt(breakerStates.probeUntil, now))))
        .returning({ name: breakerStates.name }),
      STORE_TIMEOUT_MS,
      "breaker store",
    );
    return rows.length === 1;
  }

  async releaseProbe(name: string, owner: string): Promise<void> {
    const db = await getDb();
    await withTimeout(
      db.update(breakerStates).set({ probeOwner: null, probeUntil: null }).where(and(eq(breakerStates.name, name), eq(breakerStates.probeOwner, owner))),
      STORE_TIMEOUT_MS,
      "breaker store",
    );
  }
}

function toShared(row: typeof breakerStates.$inferSelect): SharedState {
  return {
    state: row.state,
    forced: row.forced === "open" || row.forced === "closed" ? row.forced : null,
    cooldownUntil: row.cooldownUntil?.getTime() ?? 0,
    version: row.version,
  };
}

// Compare-and-set in one round trip; the probe key is separate so it can expire on its own (PX).
const CAS_SCRIPT = `
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if v == tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'state', ARGV[2], 'forced', ARGV[3], 'cooldownUntil', ARGV[4], 'version', v + 1)
  if ARGV[2] ~= 'half_open' then redis.call('DEL', KEYS[2]) end
end
return redis.call('HMGET', KEYS[1], 'state', 'forced', 'cooldownUntil', 'version')`;

export class RedisBreakerStore implements BreakerStore {
  readonly kind = "redis" as const;
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "breaker:",
  ) {}

  async read(name: string): Promise<SharedState> {
    const raw = await withTimeout(this.redis.hmget<Record<string, string | null>>(this.prefix + name, "state", "forced", "cooldownUntil", "version"), STORE_TIMEOUT_MS, "breaker store");
    return raw ? fromHash([raw.state, raw.forced, raw.cooldownUntil, raw.version]) : { ...INITIAL };
  }

  async transition(name: string, expected: number, next: Omit<SharedState, "version">) {
    const before = expected;
    const raw = await withTimeout(
      this.redis.eval<string[], (string | null)[]>(CAS_SCRIPT, [this.prefix + name, `${this.prefix}${name}:probe`], [
        String(expected),
        next.state,
        next.forced ?? "",
        String(next.cooldownUntil),
      ]),
      STORE_TIMEOUT_MS,
      "breaker store",
    );
    const state = fromHash(raw);
    return { ok: state.version === before + 1, state };
  }

  async claimProbe(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const result = await withTimeout(this.redis.set(`${this.prefix}${name}:probe`, owner, { nx: true, px: ttlMs }), STORE_TIMEOUT_MS, "breaker store");
    return result === "OK";
  }

  async releaseProbe(name: string, owner: string): Promise<void> {
    const key = `${this.prefix}${name}:probe`;
    await withTimeout(
      this.redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", [key], [owner]),
      STORE_TIMEOUT_MS,
      "breaker store",
    );
  }
}

function fromHash(raw: readonly (string | number | null | undefined)[]): SharedState {
  const [state, forced, cooldownUntil, version] = raw.map((v) => (v === null || v === undefined ? null : String(v)));
  return {
    state: state === "open" || state === "half_open" ? state : "closed",
    forced: forced === "open" || forced === "closed" ? forced : null,
    cooldownUntil: Number(cooldownUntil ?? 0) || 0,
    version: Number(version ?? 0) || 0,
  };
}

/** For unit tests and the benchmark: the same semantics, in memory. `down` simulates an unreachable store. */
export class MemoryBreakerStore implements BreakerStore {
  readonly kind = "memory" as const;
  down = false;
  private states = new Map<string, SharedState>();
  private probes = new Map<string, { owner: string; until: number }>();

  private check() {
    if (this.down) return Promise.reject(new Error("breaker store unreachable"));
    return Promise.resolve();
  }
  async read(name: string) {
    await this.check();
    return { ...(this.states.get(name) ?? INITIAL) };
  }
  async transition(name: string, expected: number, next: Omit<SharedState, "version">) {
    await this.check();
    const current = this.states.get(name) ?? INITIAL;
    if (current.version !== expected) return { ok: false, state: { ...current } };
    const state = { ...next, version: expected + 1 };
    this.states.set(name, state);
    if (next.state !== "half_open") this.probes.delete(name);
    return { ok: true, state: { ...state } };
  }
  async claimProbe(name: string, owner: string, ttlMs: number) {
    await this.check();
    const probe = this.probes.get(name);
    if (probe && probe.until > Date.now()) return false;
    this.probes.set(name, { owner, until: Date.now() + ttlMs });
    return true;
  }
  async releaseProbe(name: string, owner: string) {
    await this.check();
    if (this.probes.get(name)?.owner === owner) this.probes.delete(name);
  }
}
