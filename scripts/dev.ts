// `npm run dev`: migrate and seed the database, print the demo logins, start Next.js, and run the
// background jobs on their schedules the way Vercel cron does in production (scripts/lib/local-scheduler.ts).
//
// It holds the embedded database's folder for the whole session: the Next.js server it starts may open
// it too (it is handed the share token), any other process (`npm run ops`, `npm run db:seed`, a second
// `npm run dev`) is refused with a sentence naming this one. SIGINT and SIGTERM stop the scheduler, are
// passed on to Next.js and everything it started, and this process exits once they all have.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import net from "node:net";
import { claimPgliteFolder, closeDb, databaseKind, getDb, type FolderLock } from "@/lib/database";
import { env } from "@/lib/env";
import { DECLARED_JOBS, healthOfJobs, JOB_DECLARATIONS } from "@/lib/jobs";
import { demoLoginsText, seedDemoData } from "./lib/demo-data";
import { startLocalScheduler, type LocalScheduler } from "./lib/local-scheduler";

const args = process.argv.slice(2);
const withScheduler = !args.includes("--no-scheduler");
const nextArgs = args.filter((a) => a !== "--no-scheduler");
const port = process.env.PORT ?? "3000";
const url = `http://localhost:${port}`;

if (env.appEnv === "production") {
  console.error("npm run dev refuses APP_ENV=production: it seeds demo data and runs jobs on a local schedule. Use npm run build && npm start.");
  process.exit(1);
}

let lock: FolderLock | null = null;
let next: ReturnType<typeof spawn> | null = null;
let scheduler: LocalScheduler | null = null;
let stoppingSince = 0;

function signalGroup(signal: NodeJS.Signals | 0): boolean {
  if (!next?.pid) return false;
  try {
    // Next.js runs in a process group of its own, so its server and build workers get the signal too.
    process.kill(-next.pid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}

async function groupGone(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!signalGroup(0)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function shutdown(signal: NodeJS.Signals, exitCode = 0): Promise<never> {
  if (stoppingSince > 0) {
    // The terminal and npm both deliver Ctrl-C: only a later, deliberate second signal means "now".
    if (Date.now() - stoppingSince > 1_000) signalGroup("SIGKILL");
    return new Promise<never>(() => {});
  }
  stoppingSince = Date.now();
  await scheduler?.stop(2_000);
  signalGroup(signal);
  if (!(await groupGone(10_000))) {
    console.error("Next.js did not stop within 10 s; killing it.");
    signalGroup("SIGKILL");
    await groupGone(2_000);
  }
  lock?.release();
  process.exit(exitCode);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(signal));

// One writer per embedded database: this process holds the folder until it exits.
const shareToken = randomBytes(24).toString("base64url");
if (!env.DATABASE_URL && env.PGLITE_DIR !== "memory://") {
  lock = claimPgliteFolder(env.PGLITE_DIR, { holder: "the dev server (npm run dev)", url, shareToken });
}

const db = await getDb();
const { seeded } = await seedDemoData(db);
// Jobs whose window passed while no scheduler ran (the laptop was off): the scheduler runs them once at start.
const missed = (await healthOfJobs(DECLARED_JOBS)).filter((j) => j.status === "missed" || j.status === "timed_out").map((j) => j.name);
console.log(`Database ready (${await databaseKind()}${seeded ? ", demo data seeded" : ""}).`);
console.log(demoLoginsText());
await closeDb();

// The same secret check as production: the scheduler and the app share one made up for this session.
const cronSecret = process.env.CRON_SECRET ?? randomBytes(24).toString("base64url");
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
console.log(`\nBreakwater on ${url}\n`);
next = spawn(process.execPath, [nextBin, "dev", "-p", port, ...nextArgs], {
  stdio: "inherit",
  detached: true,
  // No telemetry: the app makes no outside calls unless a provider is configured.
  env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, CRON_SECRET: cronSecret, PGLITE_LOCK_TOKEN: shareToken },
});
next.on("exit", (code, signal) => {
  if (stoppingSince === 0) void shutdown("SIGTERM", code ?? (signal ? 1 : 0));
});

await listening(Number(port));
// The first page compiles before anything else: the cron route pulls in every capability's code, and
// compiling it first made the first page wait for it (measured: 80 s of a 175 s first page).
const firstPage = `http://127.0.0.1:${port}/`;
await fetch(firstPage, { signal: AbortSignal.timeout(600_000) }).catch(() => {});
if (withScheduler) {
  if (stoppingSince === 0) {
    const jobs = DECLARED_JOBS.map((j) => ({ name: j.name, schedule: JOB_DECLARATIONS[j.name].schedule }));
    scheduler = startLocalScheduler({
      baseUrl: `http://127.0.0.1:${port}`,
      cronSecret,
      jobs,
      catchUp: missed,
      // Quiet while jobs succeed, like a cron daemon; anything else is worth a line.
      onResult: ({ job, outcome, detail }) => {
        if (outcome !== "succeeded") console.log(`[local scheduler] ${job}: ${outcome}${detail ? ` (${detail})` : ""}`);
      },
    });
    console.log(`[local scheduler] running ${jobs.length} jobs on their schedules${missed.length ? `; catching up ${missed.join(", ")}` : ""} (npm run dev -- --no-scheduler to turn it off)`);
  }
}

/** Resolves once something accepts connections on the port (Next listens before it compiles anything). */
async function listening(portNumber: number): Promise<void> {
  while (stoppingSince === 0) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(portNumber, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
