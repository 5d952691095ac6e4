import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { flagConfigVersion, users } from "@/db/schema";
import { noteFlagConfigVersion } from "@/lib/flags";
import type { SessionUser } from "./types";

/**
 * Resolves a session token's claims against the database. Returns null when
 * the account is gone, no longer active, or its session version moved on
 * (a revocation): the token still parses, but it no longer signs anyone in.
 */
export async function loadSessionUser(db: Executor, claims: { userId: string; sessionVersion: number }): Promise<SessionUser | null> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      status: users.status,
      sessionVersion: users.sessionVersion,
      // The flag config version rides along in the same round trip, so a flag change is seen by the next signed-in request.
      flagVersion: sql<number | null>`(select ${flagConfigVersion.version} from ${flagConfigVersion} where ${flagConfigVersion.id} = 1)`.mapWith(Number),
    })
    .from(users)
    .where(eq(users.id, claims.userId));
  noteFlagConfigVersion(row?.flagVersion);
  if (!row || row.sessionVersion !== claims.sessionVersion || row.status !== "active") return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, status: row.status };
}
