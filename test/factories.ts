import { getDb } from "@/db/client";
import { subscriptions, users, type Plan, type Role } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/types";
import { systemContext, type RequestContext } from "@/lib/safety/context";

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
  return systemContext({ user, ip, userAgent: "vitest", ...overrides });
}
