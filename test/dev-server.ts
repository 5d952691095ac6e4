import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * `npm run dev` as a developer starts it, for the shutdown test and the
 * dev-server bench: a real npm, a real `next dev`, its own empty PGlite
 * folder and a free port. Linux only: processes are found through /proc.
 */
export type DevServer = {
  url: string;
  /** The `npm run dev` process. */
  child: ChildProcess;
  /** When it was started (ms since epoch). */
  startedAt: number;
  /** Everything it has started, found by walking parent ids. */
  processTree: () => number[];
  /** Resident memory of the whole tree, in MiB. */
  rssMiB: () => number;
  output: () => string;
  /** Resolves with the exit code once npm has exited. */
  exited: Promise<number | null>;
  /** Removes the data folder (after the process is gone). */
  cleanUp: () => void;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

export function descendantsOf(root: number): number[] {
  const pids = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The processes of `pids` still running after `graceMs`, with their command
 * lines. The grace covers helpers that end on their own once their parent
 * has gone (the TypeScript loader's esbuild service reads until its stdin closes).
 */
export async function stillRunning(pids: readonly number[], graceMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(isAlive).map((pid) => {
    try {
      return `${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim()}`;
    } catch {
      return String(pid);
    }
  });
}

export async function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
    socket.on("error", () => resolve(false));
  });
}

export async function startDevServer(options: { port?: number; env?: Record<string, string>; args?: string[] } = {}): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bw-dev-"));
  let output = "";
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The dev server gets none of the test runner's settings: it is `npm run dev` on a fresh clone.
  for (const key of ["DATABASE_URL", "NODE_ENV", "VITEST", "VITEST_POOL_ID", "VITEST_WORKER_ID", "TEST", "RATE_LIMIT_TIMEOUT_MS"]) delete env[key];
  Object.assign(env, { PORT: String(port), PGLITE_DIR: path.join(dataDir, "pglite"), VAULT_DIR: path.join(dataDir, "vault") }, options.env);
  const startedAt = Date.now();
  const child = spawn("npm", ["run", "dev", "--", ...(options.args ?? [])], { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const tree = () => (child.pid ? [child.pid, ...descendantsOf(child.pid)] : []);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    startedAt,
    processTree: tree,
    rssMiB: () => Math.round(tree().reduce((sum, pid) => sum + rssKiB(pid), 0) / 1024),
    output: () => output,
    exited,
    cleanUp: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Waits until `path` answers 200 (a first request compiles the route), or throws after `timeoutMs`. */
export async function firstResponse(url: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(Math.max(1_000, deadline - Date.now())) });
      if (response.status < 500) return response.status;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
