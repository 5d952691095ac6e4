// `npm run db:seed`: demo data into an empty database (scripts/lib/demo-data.ts), and the demo logins.
// `npm run db:seed -- --reset`: drop everything first and seed again. Both refuse APP_ENV=production.
import { closeDb, getDb } from "@/lib/database";
import { demoLoginsText, refuseProduction, resetDatabase, seedDemoData } from "./lib/demo-data";

const reset = process.argv.includes("--reset");
try {
  refuseProduction(reset ? "Resetting the database" : "Seeding demo data");
  if (reset) {
    await resetDatabase(await getDb());
    // Reopening applies every migration to the now empty database.
    await closeDb();
  }
  const { seeded } = await seedDemoData(await getDb());
  console.log(seeded ? `Seeded demo data${reset ? " into a reset database" : ""}.` : "Database already has users; seed skipped (npm run db:seed -- --reset starts over).");
  console.log(demoLoginsText());
} catch (error) {
  // E.g. the embedded database is open in `npm run dev`, or APP_ENV=production: the message says what to do.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDb();
}
