import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { getDb, type Db } from "@/lib/database";
import { env } from "@/lib/env";

let owner: Db | null = null;

/**
 * A handle with the schema owner's powers: what migrations run as, and what
 * an attacker holding the owner role could do (disable triggers, rewrite
 * rows). On Postgres with least-privilege roles that is DATABASE_OWNER_URL;
 * with one role (PGlite, a plain DATABASE_URL) it is the app's own handle.
 */
export async function ownerDb(): Promise<Db> {
  if (!env.DATABASE_OWNER_URL) return getDb();
  owner ??= drizzle({ client: postgres(env.DATABASE_OWNER_URL, { max: 2, onnotice: () => {} }), schema }) as unknown as Db;
  return owner;
}

/** Runs `work` as the owner with the audit log's triggers off, inside one transaction: the classic rewrite. */
export async function asOwnerWithoutTriggers(work: (tx: Parameters<Parameters<Db["transaction"]>[0]>[0]) => Promise<void>): Promise<void> {
  const db = await ownerDb();
  await db.transaction(async (tx) => {
    await tx.execute("alter table audit_events disable trigger user");
    await work(tx);
    await tx.execute("alter table audit_events enable trigger user");
  });
}
