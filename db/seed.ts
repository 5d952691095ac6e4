import type { Db } from "./client";
import { fakePaymentCharges, invoices, projects, subscriptions, users, type Role } from "./schema";
import { hashPassword } from "@/lib/auth/password";

export const DEMO_PASSWORD = "breakwater-demo";
export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "user@breakwater.test", name: "Uma User", role: "user" },
  { email: "support@breakwater.test", name: "Sam Support", role: "support" },
  { email: "admin@breakwater.test", name: "Ada Admin", role: "admin" },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Seeds demo accounts, projects, a paid subscription and its invoices. Does nothing when users exist. */
export async function seedDemoData(db: Db): Promise<{ seeded: boolean }> {
  const existing = await db.select({ id: users.id }).from(users).limit(1);
  if (existing.length > 0) return { seeded: false };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const now = Date.now();
    for (const demo of DEMO_USERS) {
      const [user] = await tx.insert(users).values({ ...demo, passwordHash }).returning();
      const isCustomer = demo.role === "user";
      const [subscription] = await tx
        .insert(subscriptions)
        .values({ userId: user!.id, plan: isCustomer ? "pro" : "free", currentPeriodEnd: new Date(now + 20 * DAY_MS) })
        .returning();
      if (!isCustomer) continue;
      await tx.insert(projects).values(
        ["Website relaunch", "Mobile app", "Quarterly report"].map((name, i) => ({
          ownerId: user!.id,
          name,
          description: `Demo project ${i + 1}`,
        })),
      );
      for (const monthsAgo of [2, 1]) {
        const chargeId = `ch_demo_${monthsAgo}`;
        const createdAt = new Date(now - (monthsAgo * 30 - 10) * DAY_MS);
        await tx.insert(fakePaymentCharges).values({ id: chargeId, customerRef: user!.id, amountCents: 2000, currency: "usd", description: "Breakwater Pro plan", idempotencyKey: `seed:${monthsAgo}`, createdAt });
        await tx.insert(invoices).values({ userId: user!.id, subscriptionId: subscription!.id, plan: "pro", amountCents: 2000, status: "paid", description: "Pro plan, 30 days", providerChargeId: chargeId, createdAt });
      }
    }
  });
  return { seeded: true };
}

export function demoLoginsText(): string {
  const lines = DEMO_USERS.map((u) => `  ${u.role.padEnd(8)} ${u.email.padEnd(26)} ${DEMO_PASSWORD}`);
  return ["Demo logins (role, email, password):", ...lines].join("\n");
}
