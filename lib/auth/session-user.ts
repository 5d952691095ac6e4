import "server-only";
import { eq, lt, sql } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { flagConfigVersion, revokedSessions, users } from "@/db/schema";
import { noteFlagConfigVersion } from "@/lib/flags";
import { SESSION_ABSOLUTE_SECONDS, withinAbsoluteLifetime, type SessionClaims } from "./session-policy";
import type { SessionUser } from "./types";

/**
 * Resolves a session token's claims against the database. Returns null when
 * the account is gone or no longer active, its session version moved on
 * (signed out everywhere, revoked by admins), this very session was signed
 * out (its id is in revoked_sessions), or the token outlived its absolute
 * lifetime: the token still parses, but it no longer signs anyone in.
 */
export async function loadSessionUser(db: Executor, claims: SessionClaims): Promise<SessionUser | null> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      status: users.status,
      sessionVersion: users.sessionVersion,
      // Same round trip: whether this session was signed out, and the flag config version (so a flag change is seen by the next signed-in request).
      revoked: claims.sessionId ? sql<boolean>`exists (select 1 from ${revokedSessions} where ${revokedSessions.sessionId} = ${claims.sessionId})` : sql<boolean>`true`,
      flagVersion: sql<number | null>`(select ${flagConfigVersion.version} from ${flagConfigVersion} where ${flagConfigVersion.id} = 1)`.mapWith(Number),
    })
    .from(users)
    .where(eq(users.id, claims.userId));
  noteFlagConfigVersion(row?.flagVersion);
  if (!row || row.revoked || row.sessionVersion !== claims.sessionVersion || row.status !== "active" || !withinAbsoluteLifetime(claims.authTime)) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, status: row.status };
}

/** Ends one session (sign-out): its token is refused from the next request on, on every device that holds a copy. */
export async function revokeSession(db: Executor, session: { sessionId: string; userId: string; authTime: number | null }): Promise<void> {
  // Past its absolute lifetime the token is refused anyway, so the row can go then.
  const expiresAt = new Date(((session.authTime ?? Math.floor(Date.now() / 1000)) + SESSION_ABSOLUTE_SECONDS) * 1000);
  await db.insert(revokedSessions).values({ sessionId: session.sessionId, userId: session.userId, expiresAt }).onConflictDoNothing();
  await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, new Date()));
}
