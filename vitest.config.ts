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
  },
});
