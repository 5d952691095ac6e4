import { getDb } from "@/lib/database";
import { subscriptions, users, type Plan, type Role } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/types";
import type { RequestContext } from "@/lib/safety";

/** A fresh user with a subscription; unique email so tests can share one database. */
export async function createTestUser(options: { role?: Role; plan?: Plan; passwordHash?: string } = {}): Promise<SessionUser> {
  const db = await getDb();
  const tag = crypto.randomUUID().slice(0, 8);
  const [user] = await db
    .insert(users)
    .values({ email: `test-${tag}@example.test`, name: `Test ${tag}`, role: options.role ?? "user", passwordHash: options.passwordHash ?? null })
    .returning();
  await db.insert(subscriptions).values({ userId: user!.id, plan: options.plan ?? "free", currentPeriodEnd: new Date(Date.now() + 86_400_000) });
  return { id: user!.id, email: user!.email, name: user!.name, role: user!.role, status: user!.status };
}

/** A request context for `action.run`. Each gets its own documentation-range IP so per-IP limits don't leak between tests. */
export function contextFor(user: SessionUser | null, overrides: Partial<RequestContext> = {}): RequestContext {
  const ip = `198.51.100.${Math.floor(Math.random() * 254) + 1}`;
  return { user, impersonation: null, system: null, via: "test", requestId: crypto.randomUUID(), ip, userAgent: "vitest", origin: null, ...overrides };
}

/** A live session token's claims for `loadSessionUser`: its own id, signed in just now. */
export function sessionClaims(userId: string, sessionVersion: number) {
  return { userId, sessionVersion, sessionId: crypto.randomUUID(), authTime: Math.floor(Date.now() / 1000) };
}

/**
 * The flag editor's form as it posts it (every field a string): a boolean release flag, on in production at
 * 0 %, with a reason. Tests override what they change.
 */
export function flagFormInput(key: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    key,
    revision: "0",
    description: "",
    kind: "release",
    owner: "team",
    valueType: "boolean",
    variants: "[]",
    defaultValue: "false",
    offValue: "false",
    prerequisites: "",
    seed: "",
    reviewBy: "",
    environment: "production",
    enabled: "on",
    rollout: "0",
    targets: "[]",
    rules: "[]",
    reason: "flag test",
    ...overrides,
  };
}
