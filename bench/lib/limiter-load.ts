import { eq } from "drizzle-orm";
import { projects, subscriptions, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit";
import { getDb } from "@/lib/database";
import { checkRateLimit, LIMITER_TIMEOUT_MS, type RateLimitBackend } from "@/lib/ratelimit";
import type { BenchResult } from "../types";

/** Audited writes in flight at once: more than the app's pool (10 connections), as a busy instance has. */
const WRITERS = 12;
/** Sign-ins arriving at once while the writes run. */
const CHECKERS = 4;
const QUIET_MS = 4_000;
const LOADED_MS = 10_000;

type Sample = { ms: number; timedOut: boolean };

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;

/**
 * The sign-in limiter's latency with the production timeout (LIMITER_TIMEOUT_MS), first on a
 * quiet database, then while writers keep the same Postgres busy through the app's own
 * connection pool: a project rename and its audit event in one transaction, as every guarded
 * action writes. Each check uses a fresh key (a different client address), so none is
 * refused for being over the limit: a refusal here is the limiter giving up.
 */
export async function limiterUnderWriteLoad(label: string, backend: RateLimitBackend): Promise<BenchResult[]> {
  const db = await getDb();
  const tag = crypto.randomUUID().slice(0, 8);
  const [user] = await db.insert(users).values({ email: `bench-limiter-${tag}@example.test`, name: `Bench ${tag}`, role: "user" }).returning({ id: users.id });
  await db.insert(subscriptions).values({ userId: user!.id, plan: "free", currentPeriodEnd: new Date(Date.now() + 86_400_000) });
  const [project] = await db.insert(projects).values({ ownerId: user!.id, name: `Bench ${tag}`, description: "" }).returning({ id: projects.id });

  let writes = 0;
  const write = () =>
    db.transaction(async (tx) => {
      const name = `Bench ${tag} ${++writes}`;
      await tx.update(projects).set({ name }).where(eq(projects.id, project!.id));
      await recordAuditEvent(tx, {
        actor: { type: "user", id: user!.id },
        action: "project.rename",
        target: { type: "project", id: project!.id },
        outcome: "success",
        metadata: { after: { name } },
        request: { requestId: crypto.randomUUID(), ip: "198.51.100.9", userAgent: "bench" },
      });
    });

  let checks = 0;
  const checkFor = async (ms: number): Promise<Sample[]> => {
    const samples: Sample[] = [];
    const until = performance.now() + ms;
    await Promise.all(
      Array.from({ length: CHECKERS }, async () => {
        while (performance.now() < until) {
          const started = performance.now();
          const decision = await checkRateLimit("sign_in", `bench-limiter:${tag}:${++checks}`, { backend, timeoutMs: LIMITER_TIMEOUT_MS });
          samples.push({ ms: performance.now() - started, timedOut: decision.outcome === "limiter_unavailable" });
        }
      }),
    );
    return samples;
  };

  await checkFor(500); // warm-up: connections and plans
  const quiet = await checkFor(QUIET_MS);
  let writing = true;
  const writers = Array.from({ length: WRITERS }, async () => {
    while (writing) await write();
  });
  const writesBefore = writes;
  const loaded = await checkFor(LOADED_MS);
  writing = false;
  await Promise.all(writers);
  const writesPerSecond = Math.round(((writes - writesBefore) / LOADED_MS) * 1000);

  const ms = (samples: Sample[]) => samples.map((s) => s.ms);
  const timeouts = loaded.filter((s) => s.timedOut).length;
  const name = (figure: string) => `limiter under write load (${label}): ${figure}`;
  const peer = "same checks, database quiet";
  const round = (n: number) => Math.round(n * 100) / 100;
  const pair = (q: number) => ({ value: round(quantile(ms(loaded), q)), peer, peerValue: round(quantile(ms(quiet), q)), ratio: round(quantile(ms(loaded), q) / quantile(ms(quiet), q)) });
  return [
    { name: name("p50"), unit: "ms/check", ...pair(0.5), note: `${loaded.length} sign-in checks, ${CHECKERS} at a time, while ${WRITERS} writers committed ${writesPerSecond} audited writes/s on the same Postgres` },
    { name: name("p99"), unit: "ms/check", ...pair(0.99) },
    { name: name("max"), unit: "ms/check", value: round(Math.max(...ms(loaded))), peer, peerValue: round(Math.max(...ms(quiet))) },
    {
      name: name("timeouts"),
      unit: "checks",
      value: timeouts,
      peer,
      peerValue: quiet.filter((s) => s.timedOut).length,
      note: `of ${loaded.length}; limiter timeout ${LIMITER_TIMEOUT_MS} ms (production); goal 0`,
    },
  ];
}
