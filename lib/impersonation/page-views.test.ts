import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, impersonationSessions } from "@/db/schema";
import { createTestUser } from "@/test/factories";
import { recordSupportPageView } from "./page-views";
import { resolveImpersonation } from "./session";
import { encodeImpersonationToken } from "./cookie";

describe("support session page views, recorded by the server", () => {
  it("records the page the server rendered, as the staff member, about the viewed user, with no browser involved", async () => {
    const db = await getDb();
    const support = await createTestUser({ role: "support" });
    const user = await createTestUser();
    const [row] = await db
      .insert(impersonationSessions)
      .values({ impersonatorId: support.id, targetUserId: user.id, reason: "TICKET-7: billing question", expiresAt: new Date(Date.now() + 10 * 60_000) })
      .returning({ id: impersonationSessions.id, expiresAt: impersonationSessions.expiresAt });
    const session = await resolveImpersonation(db, support, encodeImpersonationToken({ sessionId: row!.id, expiresAt: row!.expiresAt.getTime() }));
    expect(session).not.toBeNull();
    await recordSupportPageView(db, session!, { path: "/billing", request: { requestId: crypto.randomUUID(), ip: "198.51.100.7", userAgent: "curl/8" } });
    const views = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "impersonation.page_view"), eq(auditEvents.targetId, user.id)));
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ actorType: "support", actorId: support.id, impersonatorId: support.id, metadata: { path: "/billing", sessionId: row!.id, recordedBy: "server" } });
  });
});
