// One export in a process of its own, as a function instance would serve it: the idle
// baseline is this process with the app's modules loaded and its database handle open.
// Prints one JSON line: time, idle baseline, peak RSS, peak heap, rows and bytes.
// Usage: export-worker.ts <database url> <user id> <zip|json>
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { openDatabase } from "@/db/client";
import { DATABASE_TIMEOUTS } from "@/lib/database";
import { buildJsonExport, buildZipExport } from "@/lib/accounts/export";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const [url, userId, format] = process.argv.slice(2);
if (!url || !userId || (format !== "zip" && format !== "json")) throw new Error("usage: export-worker.ts <database url> <user id> <zip|json>");

const handle = await openDatabase({ url, pgliteDir: "memory://", timeouts: DATABASE_TIMEOUTS, migrations: "require" });
try {
  // Warm the handle (a connection, prepared types) so the baseline is the idle, connected process.
  await handle.db.execute("select 1");
  gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const sampler = setInterval(sample, 5);
  const t0 = performance.now();
  const { stream, manifest: written } = format === "zip" ? buildZipExport(handle.db, userId) : buildJsonExport(handle.db, userId);
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  const manifest = await written;
  const ms = performance.now() - t0;
  clearInterval(sampler);
  sample();
  gc();
  const retained = process.memoryUsage().heapUsed - baseline.heapUsed;
  const rows = Object.values(manifest.files).reduce((n, f) => n + f.count, 0);
  console.log(JSON.stringify({ ms, baselineRss: baseline.rss, peakRss, baselineHeap: baseline.heapUsed, peakHeap, retained, rows, bytes }));
} finally {
  await handle.close();
}
