import { execFile } from "node:child_process";
import { promisify } from "node:util";
import postgres from "postgres";
import { pgbouncerBinary, startPgbouncer, watchSessions } from "@/test/fixtures/pgbouncer";
import { freeTcpPort } from "@/test/fixtures/postgres";
import { signInCookie } from "@/test/http-sign-in";
import { load, type LoadResult } from "./lib/load";
import { serverActionId, startBenchServer, type BenchServer } from "./lib/server";
import type { BenchResult } from "./types";

/**
 * Many instances behind a transaction-mode pooler: four `next start` on one
 * Postgres, first with direct connections (the peer), then through PgBouncer
 * (pool_mode = transaction, four server connections) with
 * DATABASE_POOL_MODE=transaction. The same mixed load on both: per instance,
 * four connections cycling an anonymous /api/status, a signed-in /projects
 * and a signed-in project creation (a guarded, audited write). Reports
 * throughput, errors, the peak number of the app role's sessions Postgres
 * saw, and whether the audit chain verifies afterwards. Needs DATABASE_URL
 * on a cluster that trusts local connections (the test script's throwaway).
 */
const INSTANCES = 4;
const POOL_SIZE = 4;
const SECONDS = 10;
const exec = promisify(execFile);

type Round = LoadResult & { peak: number };

async function mixedLoad(servers: BenchServer[], databaseUrl: string, role: string, label: string): Promise<Round> {
  const createProject = serverActionId("app/(app)/projects/actions.ts", "createProject");
  const cookie = await signInCookie(servers[0]!.url, "user@breakwater.test", "breakwater-demo");
  const watcher = postgres(databaseUrl, { max: 1, onnotice: () => {}, fetch_types: false });
  const sessions = watchSessions(watcher, role);
  let written = 0;
  try {
    const rounds = await Promise.all(
      servers.map((server) =>
        load({
          url: server.url,
          connections: 4,
          duration: SECONDS,
          requests: [
            { method: "GET", path: "/api/status" },
            { method: "GET", path: "/projects", headers: { cookie } },
            {
              method: "POST",
              path: "/projects",
              headers: { cookie, origin: server.url, "Next-Action": createProject, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
              setupRequest: (request) => ({ ...request, body: JSON.stringify([{ name: `${label} ${written++}`, description: "" }]) }),
            },
          ],
        }),
      ),
    );
    const peak = await sessions.stop();
    return {
      rps: rounds.reduce((sum, r) => sum + r.rps, 0),
      p50: Math.max(...rounds.map((r) => r.p50)),
      p99: Math.max(...rounds.map((r) => r.p99)),
      errors: rounds.reduce((sum, r) => sum + r.errors, 0),
      non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
      requests: rounds.reduce((sum, r) => sum + r.requests, 0),
      peak,
    };
  } finally {
    await sessions.stop();
    await watcher.end();
  }
}

async function withServers<T>(ports: number[], env: Record<string, string>, work: (servers: BenchServer[]) => Promise<T>): Promise<T> {
  const servers: BenchServer[] = [];
  try {
    // One at a time: each seeds the database on start.
    for (const port of ports) servers.push(await startBenchServer(port, env));
    return await work(servers);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export default async function run(): Promise<BenchResult[]> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl || !pgbouncerBinary) return [{ name: "pooler: skipped", value: 0, unit: "-", note: "needs DATABASE_URL (a local cluster) and pgbouncer" }];
  const target = new URL(databaseUrl);
  const role = decodeURIComponent(target.username);
  const ports = Array.from({ length: INSTANCES }, (_, i) => 3452 + i);

  const direct = await withServers(ports, {}, (servers) => mixedLoad(servers, databaseUrl, role, "bench direct"));
  const bouncer = await startPgbouncer({ postgresPort: Number(target.port || 5432), port: await freeTcpPort(), poolSize: POOL_SIZE, roles: [role] });
  let pooled: Round;
  let chain = "";
  try {
    const env = { DATABASE_URL: bouncer.url(role, target.pathname.slice(1)), DATABASE_POOL_MODE: "transaction" };
    pooled = await withServers(ports, env, async (servers) => {
      const round = await mixedLoad(servers, databaseUrl, role, "bench pooled");
      const { stdout } = await exec("npm", ["run", "--silent", "ops", "--", "audit", "verify"], { env: servers[0]!.env }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
      chain = stdout.trim();
      return round;
    });
  } finally {
    await bouncer.stop();
  }

  const shape = `${INSTANCES} instances × 4 connections for ${SECONDS} s, cycling /api/status, /projects and a project creation`;
  return [
    {
      name: "pooler: mixed-load throughput through PgBouncer (transaction mode)",
      value: Math.round(pooled.rps),
      unit: "req/s",
      peer: "the same instances on direct connections",
      peerValue: Math.round(direct.rps),
      ratio: pooled.rps / direct.rps,
      note: `${shape}; p99 ${Math.round(pooled.p99)} ms pooled, ${Math.round(direct.p99)} ms direct (worst instance)`,
    },
    { name: "pooler: errors under the mixed load", value: pooled.errors + pooled.non2xx, unit: "requests", note: `of ${pooled.requests}; goal 0 (direct: ${direct.errors + direct.non2xx} of ${direct.requests})` },
    { name: "pooler: peak server connections of the app's role", value: pooled.peak, unit: "sessions", note: `pool size ${POOL_SIZE} (goal ≤ pool size); direct: ${direct.peak}` },
    { name: "pooler: audit chain intact after the run", value: chain.startsWith("Chain intact") ? 1 : 0, unit: "1 = yes", note: chain.slice(0, 160) },
  ];
}
