import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, users } from "@/db/schema";
import { createTestUser } from "@/test/factories";
import { authConfig } from "./config";

afterEach(() => vi.unstubAllEnvs());

// What Auth.js hands the signIn callback after GitHub says who the person is.
function githubSignIn(email: string) {
  const user = { email, name: "Octo Cat" } as { email: string; name: string; id?: string };
  const account = { provider: "github", type: "oauth", providerAccountId: "1" } as const;
  return authConfig.callbacks.signIn({ user, account } as unknown as Parameters<typeof authConfig.callbacks.signIn>[0]);
}

describe("GitHub sign-up and the signups kill switch", () => {
  it("with signups off, a new GitHub identity gets no account (refused and audited); an existing account still signs in", async () => {
    const db = await getDb();
    const email = `octo-${crypto.randomUUID().slice(0, 8)}@example.test`;
    vi.stubEnv("FLAG_SIGNUPS", "off");
    expect(await githubSignIn(email)).toBe(false);
    expect(await db.select().from(users).where(eq(sql`lower(${users.email})`, email))).toEqual([]);
    const denied = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "auth.sign_up"), eq(auditEvents.outcome, "denied")));
    expect(denied.some((e) => e.metadata.method === "github")).toBe(true);

    const existing = await createTestUser();
    expect(await githubSignIn(existing.email)).toBe(true);

    vi.unstubAllEnvs();
    expect(await githubSignIn(email)).toBe(true);
    expect(await db.select().from(users).where(eq(sql`lower(${users.email})`, email))).toHaveLength(1);
  });
});
