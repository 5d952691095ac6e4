import fs from "node:fs";
import os from "node:os";
import { firstResponse, isAlive, isListening, startDevServer, stillRunning } from "@/test/dev-server";
import { signInCookie } from "@/test/http-sign-in";
import type { BenchResult } from "./types";

/**
 * The first hour's first minute: `npm run dev` on an empty database, as a
 * new developer starts it. Per run: seconds until it listens, until the
 * first page (`/`), the public status page (reads the database) and a
 * signed-in page answer, the whole process tree's peak resident memory, and
 * how long SIGTERM takes to leave nothing running. "Cold" runs start without
 * Turbopack's cache (.next/dev removed: a fresh clone); "warm" runs keep the
 * cache the previous run left (every later start). Medians of
 * DEV_BENCH_RUNS runs each (default 3). Absolute figures: no peer; the load
 * average is noted because other work on the machine moves them.
 */
const RUNS = Number(process.env.DEV_BENCH_RUNS ?? 3);
const PORT = 3907;

type Run = { readyS: number; firstPageS: number; statusS: number; signedInS: number; peakMiB: number; settledMiB: number; stopS: number };

const seconds = (from: number) => (Date.now() - from) / 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function oneRun(cold: boolean): Promise<Run> {
  if (cold) fs.rmSync(".next/dev", { recursive: true, force: true });
  const dev = await startDevServer({ port: PORT });
  let peakMiB = 0;
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, dev.rssMiB())), 500);
  try {
    while (!(await isListening(PORT))) await new Promise((resolve) => setTimeout(resolve, 100));
    const readyS = seconds(dev.startedAt);
    await firstResponse(`${dev.url}/`, 600_000);
    const firstPageS = seconds(dev.startedAt);
    await firstResponse(`${dev.url}/status`, 600_000);
    const statusS = seconds(dev.startedAt);
    const cookie = await signInCookie(dev.url, "user@breakwater.test", "breakwater-demo");
    const projects = await fetch(`${dev.url}/projects`, { headers: { cookie } });
    if (projects.status !== 200) throw new Error(`/projects answered ${projects.status}`);
    const signedInS = seconds(dev.startedAt);
    // Settled: what it holds once the first pages are compiled and the scheduler has had a minute boundary.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const settledMiB = dev.rssMiB();
    const tree = dev.processTree();
    const stopping = Date.now();
    dev.child.kill("SIGTERM");
    await dev.exited;
    const stopS = seconds(stopping);
    const left = await stillRunning(tree);
    if (left.length > 0) throw new Error(`SIGTERM left processes running: ${left.join("; ")}`);
    return { readyS, firstPageS, statusS, signedInS, peakMiB: Math.max(peakMiB, settledMiB), settledMiB, stopS };
  } finally {
    clearInterval(sampler);
    for (const pid of dev.processTree()) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    dev.cleanUp();
  }
}

export default async function run(): Promise<BenchResult[]> {
  const envFile = fs.readFileSync("next-env.d.ts", "utf8");
  const results: BenchResult[] = [];
  try {
    for (const cold of [true, false]) {
      const runs: Run[] = [];
      // A warm series starts from the cache the cold series left behind.
      for (let i = 0; i < RUNS; i++) runs.push(await oneRun(cold));
      const label = cold ? "cold (fresh clone)" : "warm (cache kept)";
      const note = `median of ${RUNS}; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores; all runs: ${runs.map((r) => r.firstPageS.toFixed(0)).join(", ")} s to first page`;
      const pick = (key: keyof Run) => median(runs.map((r) => r[key]));
      results.push(
        { name: `npm run dev ${label}: listening`, value: pick("readyS"), unit: "s" },
        { name: `npm run dev ${label}: first page /`, value: pick("firstPageS"), unit: "s", note },
        { name: `npm run dev ${label}: /status answered`, value: pick("statusS"), unit: "s" },
        { name: `npm run dev ${label}: signed-in /projects answered`, value: pick("signedInS"), unit: "s" },
        { name: `npm run dev ${label}: peak memory (process tree)`, value: pick("peakMiB"), unit: "MiB" },
        { name: `npm run dev ${label}: memory once settled`, value: pick("settledMiB"), unit: "MiB" },
        { name: `npm run dev ${label}: SIGTERM to nothing running`, value: pick("stopS"), unit: "s" },
      );
    }
  } finally {
    fs.writeFileSync("next-env.d.ts", envFile);
  }
  return results;
}
