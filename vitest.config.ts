import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
// With DATABASE_URL set, every test file talks to the same Postgres database,
// so files run one after another. Without it each file gets its own
// in-memory PGlite and files can run in parallel.
const sharedDb = Boolean(process.env.DATABASE_URL);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}` },
      // `server-only` throws outside React Server Components; tests import server modules directly.
      { find: /^server-only$/, replacement: `${root}node_modules/server-only/empty.js` },
      // next-auth imports Next's entry points without an extension, which Node's ESM resolver (vitest's) refuses.
      { find: /^next\/(server|navigation|headers|cache)$/, replacement: "next/$1.js" },
    ],
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**", ".next/**", ".next-*/**", ".tmp/**", ".data/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: !sharedDb,
    pool: "forks",
    passWithNoTests: true,
    // One migrated PGlite per run, copied by every test file's throwaway database.
    globalSetup: ["test/pglite-template.ts"],
    // On Postgres (the test script's integration phase), a copy of the migrated database per file.
    setupFiles: ["test/postgres-per-file.ts"],
    // A healthy limiter on a loaded 2-core test machine can take longer than production's 200 ms; outage tests pass their own timeout.
    // The vault (records that outlive a database restore) gets a fresh folder per run, never the repository's .data/.
    // The audit log's lanes on (production starts with one until turned on), so the suite covers several chains per category.
    // Without DATABASE_URL, each file's database is in memory however vitest is started (not only through the test
    // script): the default PGlite folder is the developer's own demo database, which a test must never write to.
    env: {
      RATE_LIMIT_TIMEOUT_MS: "5000",
      VAULT_DIR: mkdtempSync(path.join(tmpdir(), "bw-vault-")),
      AUDIT_LANES: "8",
      ...(sharedDb ? {} : { PGLITE_DIR: process.env.PGLITE_DIR ?? "memory://" }),
    },
    // Run next-auth and the Flags SDK through vite so the aliases above apply to their imports of Next too.
    server: { deps: { inline: [/next-auth/, /node_modules\/flags\//] } },
  },
});
