/**
 * First-load JavaScript per route, from a production build's manifests:
 * the chunks every page loads (build-manifest.json rootMainFiles) plus the
 * chunks of the route's own segments (layouts, template, boundaries, page),
 * gzip-compressed as `next start` serves them. Lazy chunks are not counted.
 *
 *   npx next build && npx tsx scripts/first-load-js.ts [distDir] [route…]
 *   e.g. npx tsx scripts/first-load-js.ts .next / /legal/data-retention /sign-in
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

type ClientManifest = { entryJSFiles: Record<string, string[]> };

const [distDir = ".next", ...wanted] = process.argv.slice(2);
const gzipped = new Map<string, number>();
const size = (file: string) => {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(join(distDir, file))).length);
  return gzipped.get(file)!;
};
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function manifestsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return manifestsUnder(path);
    return entry.name === "page_client-reference-manifest.js" ? [path] : [];
  });
}

/** "/(site)/legal/data-retention/page" → "/legal/data-retention". */
function routeOf(manifestKey: string): string {
  const path = manifestKey.replace(/\/page$/, "").replace(/\/\([^)]*\)/g, "");
  return path === "" ? "/" : path;
}

const build = JSON.parse(readFileSync(join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
const shared = new Set(build.rootMainFiles);
console.log(`shared by every page: ${kib([...shared].reduce((sum, f) => sum + size(f), 0))}`);

const rows: [string, number][] = [];
for (const file of manifestsUnder(join(distDir, "server", "app"))) {
  const scope = globalThis as { __RSC_MANIFEST?: Record<string, ClientManifest> };
  scope.__RSC_MANIFEST = {};
  new Function(readFileSync(file, "utf8"))();
  for (const [key, manifest] of Object.entries(scope.__RSC_MANIFEST)) {
    const route = routeOf(key);
    if (wanted.length > 0 && !wanted.includes(route)) continue;
    const files = new Set(shared);
    for (const chunks of Object.values(manifest.entryJSFiles)) for (const chunk of chunks) if (existsSync(join(distDir, chunk))) files.add(chunk);
    rows.push([route, [...files].reduce((sum, f) => sum + size(f), 0)]);
  }
}
for (const [route, bytes] of rows.sort((a, b) => a[0].localeCompare(b[0]))) console.log(`${route.padEnd(40)} ${kib(bytes)}`);
