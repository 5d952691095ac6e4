// `npm run bench [-- <topic> ...]`: runs bench/<topic>.bench.ts files and merges their
// figures into bench/results.json (one entry per figure, replaced on each run).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchResult } from "./types";

// Measured with the audit log's lanes on, as a deployment that has turned them on runs (README, "Audit lanes").
process.env.AUDIT_LANES ??= "8";

const dir = path.join(process.cwd(), "bench");
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.includes(f.replace(".bench.ts", "")));

const resultsFile = path.join(dir, "results.json");
type Stored = { updatedAt: string; machine: Record<string, unknown>; results: (BenchResult & { file: string; measuredAt: string })[] };
const stored: Stored = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, "utf8")) : { updatedAt: "", machine: {}, results: [] };
fs.mkdirSync(path.join(process.cwd(), ".tmp"), { recursive: true });

let failed = 0;
for (const file of files) {
  console.log(`\n▶ ${file}`);
  try {
    const mod = (await import(path.join(dir, file))) as { default: () => Promise<BenchResult[]> };
    const results = await mod.default();
    const measuredAt = new Date().toISOString();
    stored.results = stored.results.filter((r) => r.file !== file).concat(results.map((r) => ({ ...r, file, measuredAt })));
    for (const r of results) {
      const peer = r.peer ? `  vs ${r.peer} ${fmt(r.peerValue)} (ratio ${fmt(r.ratio)})` : "";
      console.log(`  ${r.name.padEnd(48)} ${fmt(r.value).padStart(12)} ${r.unit}${peer}${r.note ? `  — ${r.note}` : ""}`);
    }
  } catch (error) {
    failed++;
    console.error(`  ✗ ${file} failed:`, error);
  }
}

stored.updatedAt = new Date().toISOString();
stored.machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
fs.writeFileSync(resultsFile, `${JSON.stringify(stored, null, 2)}\n`);
console.log(`\nWrote ${path.relative(process.cwd(), resultsFile)}`);
process.exit(failed > 0 ? 1 : 0);

function fmt(n: number | undefined): string {
  if (n === undefined) return "-";
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}
