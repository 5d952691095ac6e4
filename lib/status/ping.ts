import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/database";

/** One round trip to the database; callers bound it with their own timeout. */
export async function pingDatabase(): Promise<void> {
  const db = await getDb();
  await db.execute(sql`select 1`);
}
