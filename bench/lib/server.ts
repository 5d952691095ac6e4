import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * A production server (`next build && next start`) for load benchmarks, on
 * its own build folder, port and database so it never disturbs a dev server.
 * The build is made once per `npm run bench` and shared by every bench file.
 */
const DIST_DIR = process.env.NEXT_DIST_DIR ?? ".next";
const ROOT = process.cwd();

export type BenchServer = { url: string; stop: () => Promise<void>; env: NodeJS.ProcessEnv };

let built = false;

function ensureBuild(env: NodeJS.ProcessEnv) {
  if (built || (process.env.BENCH_REUSE_BUILD && fs.existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID")))) {
    built = true;
    return;
  }
  console.log("bench: building the app (next build)…");
  execFileSync("npx", ["next", "build"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  built = true;
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server at ${url} did not become ready`);
}

export async function startBenchServer(port: number, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = fs.mkdtempSync(path.join(ROOT, ".tmp", "bench-db-"));
  const env = {
    ...process.env,
    NEXT_DIST_DIR: DIST_DIR,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
    AUTH_SECRET: "bench-secret-0123456789abcdef",
    AUTH_TRUST_HOST: "true",
    CRON_SECRET: "bench-cron-secret-0123456789",
    LOG_LEVEL: "warn",
    // The build also routes the peer pages some benches measure against (page.bench.tsx).
    BENCH_PAGES: "1",
    ...(process.env.DATABASE_URL ? {} : { PGLITE_DIR: path.join(dataDir, "pglite") }),
    ...extraEnv,
  } as NodeJS.ProcessEnv;
  ensureBuild(env);
  execFileSync("npx", ["tsx", "--import", "./scripts/lib/server-runtime.mjs", "scripts/db-seed.ts"], { cwd: ROOT, env, stdio: "ignore" });
  const child: ChildProcess = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: ROOT, env, stdio: "ignore", detached: true });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/health`, 60_000);
  return {
    url,
    env,
    stop: async () => {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 500));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The id Next.js gave a server action at build time, so a load tool can call it over HTTP. */
export function serverActionId(file: string, exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, DIST_DIR, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === exportedName);
  if (!entry) throw new Error(`no server action ${exportedName} in ${file}`);
  return entry[0];
}
