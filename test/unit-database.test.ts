import { expect, it } from "vitest";
import { env } from "@/lib/env";

// However vitest is started (the test script sets this too, a bare `npx vitest run` does not), a file without
// DATABASE_URL opens an in-memory copy of the migrated template: never the PGlite folder `npm run dev` seeds and serves.
it.skipIf(Boolean(process.env.DATABASE_URL))("without DATABASE_URL, tests open an in-memory database, not the developer's PGlite folder", () => {
  expect(env.PGLITE_DIR).toBe("memory://");
  expect(env.PGLITE_TEMPLATE).toBeTruthy();
});
