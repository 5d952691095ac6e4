import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { accountChangeRequests, legalHolds, users } from "@/db/schema";
import { changeUserRole, decideAccessChange, requestAccessChange } from "@/lib/auth/actions";
import { contextFor, createTestUser } from "@/test/factories";
import { liftLegalHold, placeLegalHold, purgeAccountNow } from "./actions";

afterEach(() => vi.unstubAllEnvs());

describe("admin_destructive covers every destructive admin action", () => {
  it("refuses purge, role change, access-change approval and legal-hold release while off, changing nothing", async () => {
    const db = await getDb();
    const admin = await createTestUser({ role: "admin" });
    const colleague = await createTestUser({ role: "admin" });
    const target = await createTestUser({ role: "support" });
    expect(await placeLegalHold.run({ userId: target.id, reason: "litigation" }, contextFor(admin))).toMatchObject({ ok: true });
    const asked = await requestAccessChange.run({ userId: target.id, kind: "suspend", reason: "abuse report" }, contextFor(admin));
    expect(asked.ok).toBe(true);
    const requestId = asked.ok ? asked.data.id : "";

    vi.stubEnv("FLAG_ADMIN_DESTRUCTIVE", "off");
    const paused = { ok: false, code: "disabled", message: "Destructive admin actions are paused right now." };
    expect(await purgeAccountNow.run({ userId: target.id, confirmation: "x" }, contextFor(admin))).toMatchObject(paused);
    expect(await changeUserRole.run({ userId: target.id, role: "user" }, contextFor(admin))).toMatchObject(paused);
    expect(await decideAccessChange.run({ requestId, decision: "approve", reason: "confirmed abuse" }, contextFor(colleague))).toMatchObject(paused);
    expect(await liftLegalHold.run({ userId: target.id }, contextFor(admin))).toMatchObject(paused);

    const [row] = await db.select({ role: users.role, status: users.status }).from(users).where(eq(users.id, target.id));
    expect(row).toEqual({ role: "support", status: "active" });
    expect(await db.select().from(legalHolds).where(and(eq(legalHolds.userId, target.id), isNull(legalHolds.liftedAt)))).toHaveLength(1);
    const [pending] = await db.select({ status: accountChangeRequests.status }).from(accountChangeRequests).where(eq(accountChangeRequests.id, requestId));
    expect(pending?.status).toBe("pending");

    // Placing a hold keeps data: it is not destructive and stays available.
    vi.unstubAllEnvs();
    expect(await liftLegalHold.run({ userId: target.id }, contextFor(admin))).toMatchObject({ ok: true });
  });
});
