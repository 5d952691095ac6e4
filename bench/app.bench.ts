import { signInCookie } from "@/test/http-sign-in";
import { startBenchServer, serverActionId } from "./lib/server";
import { load, type LoadResult } from "./lib/load";
import { medianNs, quantile } from "./lib/timing";
import type { BenchResult } from "./types";

/**
 * Throughput and latency of the app itself under `next start`:
 * - a signed-in page (proxy, session lookup, flags, queries, render) against
 *   a bare page that runs the same query under the same proxy, layout and
 *   template (app/bench/projects/page.bench.tsx), rounds interleaved;
 * - a server action taking the full guarded path (session, permission,
 *   validation, transaction with its audit event);
 * - in process, what each request pays before its page: the session token's
 *   decryption, the proxy, every flag for the visitor, the session query.
 */
export default async function run(): Promise<BenchResult[]> {
  const server = await startBenchServer(3901);
  try {
    const cookie = await signInCookie(server.url, "user@breakwater.test", "breakwater-demo");
    const bare = await fetch(`${server.url}/bench/projects`, { headers: { cookie } });
    if (bare.status !== 200) throw new Error(`the bare peer page answered ${bare.status}: rebuild without BENCH_REUSE_BUILD (it needs BENCH_PAGES=1)`);
    const pages = await interleaved(server.url, cookie, ["/projects", "/bench/projects"]);
    const page = pages["/projects"]!;
    const peer = pages["/bench/projects"]!;

    // Rename a seeded project to its own name: a real write plus audit event on every request.
    const projectId = await seededProjectId(server.url, cookie);
    const actionId = serverActionId("app/(app)/projects/actions.ts", "renameProject");
    const action = await load({
      url: `${server.url}/projects/${projectId}`,
      method: "POST",
      headers: { cookie, "Next-Action": actionId, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
      body: JSON.stringify([{ projectId, name: "Website relaunch" }]),
    });
    if (action.non2xx > 0) throw new Error(`non-2xx responses: action ${action.non2xx}`);
    const db = process.env.DATABASE_URL ? "Postgres" : "PGlite";
    const profile = await beforeThePage();
    const pageRps = median(page.map((r) => r.rps));
    const peerRps = median(peer.map((r) => r.rps));
    return [
      {
        name: "signed-in page /projects: throughput",
        value: pageRps,
        unit: "req/s",
        peer: "a bare page running the same query (same proxy, layout and template)",
        peerValue: peerRps,
        ratio: Number((pageRps / peerRps).toFixed(2)),
        note: `goal ratio ≥ 0.9; autocannon, 10 connections, ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s each, median; ${db}`,
      },
      { name: "signed-in page /projects: p50", value: median(page.map((r) => r.p50)), unit: "ms", peerValue: median(peer.map((r) => r.p50)) },
      { name: "signed-in page /projects: p99", value: median(page.map((r) => r.p99)), unit: "ms", peerValue: median(peer.map((r) => r.p99)) },
      { name: "server action renameProject: throughput", value: action.rps, unit: "req/s", note: `autocannon, 10 connections, 10 s, ${db}` },
      { name: "server action renameProject: p50", value: action.p50, unit: "ms" },
      { name: "server action renameProject: p99", value: action.p99, unit: "ms" },
      ...profile,
    ];
  } finally {
    await server.stop();
  }
}

const ROUNDS = 5;
const ROUND_SECONDS = 5;

/** Loads each path in turn, the order alternating per round, so drift on a shared machine falls on all of them. */
async function interleaved(url: string, cookie: string, paths: string[]): Promise<Record<string, LoadResult[]>> {
  const out: Record<string, LoadResult[]> = Object.fromEntries(paths.map((p) => [p, []]));
  for (const path of paths) await load({ url: `${url}${path}`, headers: { cookie }, duration: 2 });
  for (let round = 0; round < ROUNDS; round++) {
    for (const path of round % 2 === 0 ? paths : [...paths].reverse()) {
      const result = await load({ url: `${url}${path}`, headers: { cookie }, duration: ROUND_SECONDS });
      if (result.non2xx > 0) throw new Error(`non-2xx responses from ${path}: ${result.non2xx}`);
      out[path]!.push(result);
    }
  }
  return out;
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Microseconds per awaited call, median of 9 rounds after two warm-up rounds. */
async function microseconds(calls: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  return Number(((await medianNs(calls, 9, fn)) / 1000).toFixed(2));
}

/**
 * What a signed-in request pays before its page renders, each part alone, in
 * this process: a token of this process's own secret, and the session query on
 * the servers' Postgres (skipped on PGlite, whose folder the server holds).
 */
async function beforeThePage(): Promise<BenchResult[]> {
  const { decode, encode } = await import("next-auth/jwt");
  const { NextRequest } = await import("next/server");
  const { env } = await import("@/lib/env");
  const { decodeSessionToken } = await import("@/lib/auth/session-token");
  const { evaluateAllFlags, flagContextFor } = await import("@/lib/flags");
  const { proxy } = await import("../proxy");
  const salt = "authjs.session-token";
  const claims = { sub: crypto.randomUUID(), sv: 0, sid: crypto.randomUUID(), at: Math.floor(Date.now() / 1000) };
  const params = { token: await encode({ token: claims, secret: env.authSecret, salt, maxAge: 3600 }), secret: env.authSecret, salt };
  const cookie = `${salt}=${params.token}`;

  const authJsDecode = await microseconds(200, () => decode(params));
  const remembered = await microseconds(20_000, () => decodeSessionToken(params));
  const proxyCall = await microseconds(2_000, () => proxy(new NextRequest("http://127.0.0.1/projects", { headers: { cookie } })));
  const flags = await microseconds(2_000, () => evaluateAllFlags(flagContextFor({ id: claims.sub, email: "user@breakwater.test", role: "user" })));
  const note = "in process, median of 9 rounds; a signed-in page decrypts its token twice (proxy, auth()) and auth() encrypts one";
  const results: BenchResult[] = [
    { name: "before the page: session token, remembered", value: remembered, unit: "µs", peer: "Auth.js's decode of the same token", peerValue: authJsDecode, ratio: Number((remembered / authJsDecode).toFixed(4)), note },
    { name: "before the page: the proxy (id, nonce, policy, renewal check)", value: proxyCall, unit: "µs" },
    { name: "before the page: every flag for the visitor", value: flags, unit: "µs" },
  ];
  if (process.env.DATABASE_URL) {
    const { getDb } = await import("@/lib/database");
    const { loadSessionUser } = await import("@/lib/auth/session-user");
    const { findUserByEmail } = await import("@/lib/auth");
    const db = await getDb();
    const user = await findUserByEmail(db, "user@breakwater.test");
    if (!user) throw new Error("no demo user in the bench database");
    const session = { userId: user.id, sessionVersion: 0, sessionId: claims.sid, authTime: claims.at };
    const query = await microseconds(300, () => loadSessionUser(db, session));
    results.push({ name: "before the page: the session query", value: query, unit: "µs", note: "one round trip on Postgres: the user, whether this session was revoked, the flag config version" });
  }
  return results;
}

async function seededProjectId(url: string, cookie: string): Promise<string> {
  // The server holds the PGlite folder, so ask it over HTTP instead of opening the database here.
  const html = await (await fetch(`${url}/projects`, { headers: { cookie } })).text();
  const match = html.match(/href="\/projects\/([0-9a-f-]{36})"/);
  if (!match?.[1]) throw new Error("no seeded project found");
  return match[1];
}
