// `npm run dev`: migrate and seed the embedded database, print the demo logins, then start Next.js.
// The database is closed before Next starts because a PGlite folder admits one process at a time.
import { spawn } from "node:child_process";
import { closeDb, databaseKind, getDb } from "@/db/client";
import { demoLoginsText, seedDemoData } from "@/db/seed";

const db = await getDb();
const { seeded } = await seedDemoData(db);
console.log(`Database ready (${await databaseKind()}${seeded ? ", demo data seeded" : ""}).`);
console.log(demoLoginsText());
await closeDb();

const port = process.env.PORT ?? "3000";
console.log(`\nBreakwater on http://localhost:${port}\n`);
// No telemetry: the app makes no outside calls unless a provider is configured.
const next = spawn("npx", ["next", "dev", "-p", port, ...process.argv.slice(2)], { stdio: "inherit", env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env } });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
next.on("exit", (code) => process.exit(code ?? 0));
