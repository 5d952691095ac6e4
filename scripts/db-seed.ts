// Seeds demo data into an empty database and prints the demo logins.
import { closeDb, getDb } from "@/db/client";
import { demoLoginsText, seedDemoData } from "@/db/seed";

const { seeded } = await seedDemoData(await getDb());
console.log(seeded ? "Seeded demo data." : "Database already has users; seed skipped.");
console.log(demoLoginsText());
await closeDb();
