import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { paymentCustomers, providerCancellations, users } from "@/db/schema";
import { paymentReconciliationJob } from "@/lib/billing/jobs";
import { runJob } from "@/lib/jobs/server";
import { providers } from "@/lib/providers";
import { contextFor, createTestUser } from "@/test/factories";
import { purgeAccountNow } from "./actions";
import { issueConfirmation } from "./confirmations";
import { tombstoneId } from "./tombstone";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("purging an account while payments are switched off", () => {
  it("does not call the payments provider: the cancellation is queued, and sent once payments are back", async () => {
    const db = await getDb();
    const admin = await createTestUser({ role: "admin" });
    const user = await createTestUser({ plan: "pro" });
    const card = `pm_${crypto.randomUUID().slice(0, 8)}`;
    await db.insert(paymentCustomers).values({ userId: user.id, provider: "stripe", customerId: `cus_${crypto.randomUUID().slice(0, 8)}`, defaultPaymentMethod: card });
    const cancel = vi.spyOn(providers.payments, "cancelSubscription");

    vi.stubEnv("FLAG_PAYMENTS", "off");
    const token = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: user.id });
    const purged = await purgeAccountNow.run({ userId: user.id, confirmation: token.token, confirmText: user.email }, contextFor(admin));
    expect(purged).toMatchObject({ ok: true });
    expect(cancel).not.toHaveBeenCalled();
    expect(await db.select().from(users).where(eq(users.id, user.id))).toEqual([]);
    const tomb = tombstoneId(user.id);
    // Queued under the tombstone, never the person's id: the purge leaves nothing that names them.
    const [queued] = await db.select().from(providerCancellations).where(eq(providerCancellations.tombstoneId, tomb));
    expect(queued).toMatchObject({ paymentMethod: card });
    expect(JSON.stringify(queued)).not.toContain(user.id);

    // Still paused: the job that sends it waits too.
    expect(await runJob(paymentReconciliationJob, { trigger: "test" })).toMatchObject({ status: "skipped", error: "skipped: payments paused" });
    expect(cancel).not.toHaveBeenCalled();

    vi.unstubAllEnvs();
    const run = await runJob(paymentReconciliationJob, { trigger: "test" });
    expect(run.status).toBe("succeeded");
    expect(cancel).toHaveBeenCalledWith({ customerRef: tomb, paymentMethod: card });
    expect(await db.select().from(providerCancellations).where(eq(providerCancellations.tombstoneId, tomb))).toEqual([]);
  });
});
