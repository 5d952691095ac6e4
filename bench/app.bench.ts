import { signInCookie } from "@/test/http-sign-in";
import { startBenchServer, serverActionId } from "./lib/server";
import { load } from "./lib/load";
import type { BenchResult } from "./types";

/**
 * Throughput and latency of the app itself under `next start`: a signed-in
 * page (session lookup + queries + render) and a server action taking the
 * full guarded path (session, permission, validation, transaction with its
 * audit event). No peer library exists for these; the figures are absolute.
 */
export default async function run(): Promise<BenchResult[]> {
  const server = await startBenchServer(3901);
  try {
    const cookie = await signInCookie(server.url, "user@breakwater.test", "breakwater-demo");
    const page = await load({ url: `${server.url}/projects`, headers: { cookie } });

    // Rename a seeded project to its own name: a real write plus audit event on every request.
    const projectId = await seededProjectId(server.url, cookie);
    const actionId = serverActionId("app/(app)/projects/actions.ts", "renameProject");
    const action = await load({
      url: `${server.url}/projects/${projectId}`,
      method: "POST",
      headers: { cookie, "Next-Action": actionId, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
      body: JSON.stringify([{ projectId, name: "Website relaunch" }]),
    });
    if (page.non2xx > 0 || action.non2xx > 0) throw new Error(`non-2xx responses: page ${page.non2xx}, action ${action.non2xx}`);
    const note = `autocannon, 10 connections, 10 s, ${process.env.DATABASE_URL ? "Postgres" : "PGlite"}`;
    return [
      { name: "signed-in page /projects: throughput", value: page.rps, unit: "req/s", note },
      { name: "signed-in page /projects: p50", value: page.p50, unit: "ms" },
      { name: "signed-in page /projects: p99", value: page.p99, unit: "ms" },
      { name: "server action renameProject: throughput", value: action.rps, unit: "req/s", note },
      { name: "server action renameProject: p50", value: action.p50, unit: "ms" },
      { name: "server action renameProject: p99", value: action.p99, unit: "ms" },
    ];
  } finally {
    await server.stop();
  }
}

async function seededProjectId(url: string, cookie: string): Promise<string> {
  // The server holds the PGlite folder, so ask it over HTTP instead of opening the database here.
  const html = await (await fetch(`${url}/projects`, { headers: { cookie } })).text();
  const match = html.match(/href="\/projects\/([0-9a-f-]{36})"/);
  if (!match?.[1]) throw new Error("no seeded project found");
  return match[1];
}
