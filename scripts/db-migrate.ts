// Applies committed migrations (idempotent). The app also does this lazily at start.
import { closeDb, databaseKind, getDb } from "@/db/client";

await getDb();
console.log(`Migrations applied (${await databaseKind()}).`);
await closeDb();
