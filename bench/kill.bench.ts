import { signInCookie } from "@/test/http-sign-in";
import { startBenchServer } from "./lib/server";
import { quantile } from "./lib/timing";
import type { BenchResult } from "./types";

/**
 * Time-to-kill across instances: two `next start` on one Postgres. A kill
 * switch is flipped through instance A's API; instance B is polled, one
 * request after another, from before the flip (which lands at a random point
 * of B's revalidation cycle) until a response shows the new state. The figure
 * is the time from A's answer (the change has committed) to the end of B's
 * first response that shows it. Each kind of request gets its own flips, so
 * one kind never refreshes B on behalf of another.
 */
const FLIPS_PER_KIND = 200;
const KEY = "signups";
const GIVE_UP_MS = 5_000;

type Probe = (base: string) => Promise<boolean>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function run(): Promise<BenchResult[]> {
  if (!process.env.DATABASE_URL) return [{ name: "time-to-kill: skipped", value: 0, unit: "-", note: "set DATABASE_URL: two instances need one shared Postgres" }];
  const a = await startBenchServer(3442);
  const b = await startBenchServer(3443);
  let adminCookie = "";
  try {
    adminCookie = await signInCookie(a.url, "admin@breakwater.test", "breakwater-demo");
    const userCookie = await signInCookie(b.url, "user@breakwater.test", "breakwater-demo");
    const pausedFor = (cookie?: string): Probe => async (base) => {
      const res = await fetch(`${base}/admin/flags/state`, { headers: cookie ? { cookie } : {} });
      return ((await res.json()) as { paused: string[] }).paused.includes(KEY);
    };
    const kinds: { name: string; probe: Probe; goal: string }[] = [
      { name: "signed-in request", probe: pausedFor(userCookie), goal: "goal ≤ 100 ms" },
      { name: "anonymous request", probe: pausedFor(), goal: "goal ≤ 1000 ms; bounded by the flag revalidation interval, 500 ms" },
      {
        name: "/status page",
        probe: async (base) => /data-component="web"[\s\S]*?aria-label="Web app: Paused"/.test(await (await fetch(`${base}/status`)).text()),
        goal: "goal ≤ 1000 ms",
      },
      {
        name: "/api/status",
        probe: async (base) => ((await (await fetch(`${base}/api/status`)).json()) as { components: { id: string; state: string }[] }).components.find((c) => c.id === "web")?.state === "paused",
        goal: "goal ≤ 1000 ms",
      },
    ];

    let paused = await kinds[1]!.probe(a.url);
    const flip = async (round: number) => {
      paused = !paused;
      const res = await fetch(`${a.url}/admin/flags/kill-switches`, {
        method: "POST",
        // A tool calling a mutating route names the app it acts on, as a browser would (the same-origin rule).
        headers: { "content-type": "application/json", origin: a.url, cookie: adminCookie },
        body: JSON.stringify({ key: KEY, on: !paused, reason: `time-to-kill bench round ${round}` }),
      });
      if (res.status !== 200) throw new Error(`flip ${round} answered ${res.status}: ${await res.text()}`);
      return performance.now();
    };

    const results: BenchResult[] = [];
    let round = 0;
    for (const kind of kinds) {
      const samples: number[] = [];
      for (let i = 0; i < FLIPS_PER_KIND; i++) {
        // B serves the current state, and keeps being asked while A flips.
        if ((await kind.probe(b.url)) !== paused) throw new Error(`${kind.name}: B does not serve the current state before round ${round}`);
        let committed: number | null = null;
        const flipped = sleep(Math.random() * 1000).then(() => flip(round++).then((t) => (committed = t)));
        for (;;) {
          const sees = await kind.probe(b.url);
          const at = performance.now();
          if (committed !== null && sees === paused) {
            samples.push(at - committed);
            break;
          }
          if (committed !== null && at - committed > GIVE_UP_MS) throw new Error(`${kind.name}: B did not see round ${round} within ${GIVE_UP_MS} ms`);
        }
        await flipped;
      }
      const note = `${FLIPS_PER_KIND} flips of "${KEY}" through instance A, seen on instance B (two next start, one Postgres); ${kind.goal}`;
      results.push({ name: `time-to-kill, ${kind.name}: p50`, value: Math.round(quantile(samples, 0.5)), unit: "ms", note });
      results.push({ name: `time-to-kill, ${kind.name}: p99`, value: Math.round(quantile(samples, 0.99)), unit: "ms", note: `max ${Math.round(Math.max(...samples))} ms` });
    }
    return results;
  } finally {
    // Leave sign-ups on for whoever uses this database next.
    if (adminCookie) {
      await fetch(`${a.url}/admin/flags/kill-switches`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: a.url, cookie: adminCookie },
        body: JSON.stringify({ key: KEY, on: true, reason: "time-to-kill bench done" }),
      }).catch(() => null);
    }
    await Promise.all([a.stop(), b.stop()]);
  }
}
