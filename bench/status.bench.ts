import { load } from "./lib/load";
import { startBenchServer } from "./lib/server";
import type { BenchResult } from "./types";

/**
 * Health and status under load against `next start`, in one run so /status
 * is a ratio of /api/health's throughput; the caching headers of the status
 * routes; and what recording a request outcome costs (goal: at most 0.1 ms
 * added per request). Load runs are 5 s each so the file stays under a minute.
 */
export default async function run(): Promise<BenchResult[]> {
  const recording = await recordingCost();
  const server = await startBenchServer(3440);
  try {
    // Warm up each route once (first render compiles nothing under next start, but opens the database).
    for (const path of ["/api/health", "/api/health/ready", "/status", "/api/status"]) await fetch(`${server.url}${path}`);
    const caching = await cachingHeaders(server.url);
    const options = { connections: 10, duration: 5 };
    const liveness = await load({ url: `${server.url}/api/health`, ...options });
    const readiness = await load({ url: `${server.url}/api/health/ready`, ...options });
    const status = await load({ url: `${server.url}/status`, ...options });
    const statusJson = await load({ url: `${server.url}/api/status`, ...options });
    for (const [name, r] of [["/api/health", liveness], ["/api/health/ready", readiness], ["/status", status], ["/api/status", statusJson]] as const) {
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    }
    const note = `autocannon, 10 connections, 5 s, ${process.env.DATABASE_URL ? "Postgres" : "PGlite"}`;
    const health = "GET /api/health in the same run";
    return [
      { name: "GET /api/health (liveness): throughput", value: liveness.rps, unit: "req/s", note },
      { name: "GET /api/health (liveness): p99", value: liveness.p99, unit: "ms" },
      { name: "GET /api/health/ready (readiness): throughput", value: readiness.rps, unit: "req/s", note },
      { name: "GET /api/health/ready (readiness): p99", value: readiness.p99, unit: "ms" },
      {
        name: "GET /status (public page): throughput",
        value: status.rps,
        unit: "req/s",
        peer: health,
        peerValue: liveness.rps,
        ratio: status.rps / liveness.rps,
        note: `${note}; goal ratio ≥ 0.5; a script-free document rendered once per status snapshot and shared by every request`,
      },
      { name: "GET /status (public page): p99", value: status.p99, unit: "ms", note: "goal ≤ 100 ms at 10 connections" },
      { name: "GET /api/status (JSON): throughput", value: statusJson.rps, unit: "req/s", peer: health, peerValue: liveness.rps, ratio: statusJson.rps / liveness.rps, note },
      { name: "GET /api/status (JSON): p99", value: statusJson.p99, unit: "ms" },
      ...caching,
      ...recording,
    ];
  } finally {
    await server.stop();
  }
}

/** What a CDN and a browser get: the caching headers of each public status route, and a revalidation with the ETag. */
async function cachingHeaders(base: string): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const path of ["/status", "/api/status", "/api/status/feed"]) {
    const first = await fetch(`${base}${path}`);
    const etag = first.headers.get("etag");
    const cacheControl = first.headers.get("cache-control") ?? "";
    if (!etag || !/s-maxage=\d+/.test(cacheControl) || !/stale-while-revalidate=\d+/.test(cacheControl)) {
      throw new Error(`${path}: missing caching headers (ETag ${etag}, Cache-Control ${cacheControl})`);
    }
    const again = await fetch(`${base}${path}`, { headers: { "if-none-match": etag } });
    if (again.status !== 304) throw new Error(`${path}: If-None-Match with the current ETag answered ${again.status}, not 304`);
    out.push({ name: `GET ${path} with its ETag: status`, value: again.status, unit: "HTTP", note: `Cache-Control: ${cacheControl}` });
  }
  return out;
}

/**
 * In-process cost of recording one request outcome (per-minute aggregation
 * in memory), against the cheapest thing a request does anyway: reading the
 * clock twice. Fixed timestamps inside one minute so nothing is flushed here.
 */
async function recordingCost(): Promise<BenchResult[]> {
  const { recordRequestOutcome } = await import("@/lib/status/outcomes");
  const minute = Date.UTC(2040, 0, 1);
  const n = 1_000_000;
  const routes = ["api", "web", "bench_other"];
  // Warm up the JIT.
  for (let i = 0; i < 100_000; i++) recordRequestOutcome(routes[i % 3]!, i % 50 !== 0, i % 700, minute + (i % 59_000));
  let t = performance.now();
  for (let i = 0; i < n; i++) recordRequestOutcome(routes[i % 3]!, i % 50 !== 0, i % 700, minute + (i % 59_000));
  const perCallMs = (performance.now() - t) / n;
  let sink = 0;
  t = performance.now();
  for (let i = 0; i < n; i++) sink += performance.now() - performance.now();
  const clockMs = (performance.now() - t) / n;
  if (sink === 42) console.log("");
  return [
    {
      name: "recording one request outcome: added time",
      value: perCallMs * 1000,
      unit: "µs",
      peer: "two performance.now() calls",
      peerValue: clockMs * 1000,
      ratio: perCallMs / clockMs,
      note: `goal ≤ 100 µs (0.1 ms): ${perCallMs <= 0.1 ? "met" : "NOT met"}; in-memory per-minute aggregation, no I/O per request`,
    },
  ];
}
