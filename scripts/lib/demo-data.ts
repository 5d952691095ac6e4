import { sql } from "drizzle-orm";
import type { Db } from "@/lib/database";
import { subscriptions, users } from "@/db/schema";
import { hashPassword, type SessionUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability";
import { seedActivity, type DemoPeople } from "./demo/activity";
import { seedGameDay, seededRandom, seedInvoices, seedJobHistory, seedUptimeSamples } from "./demo/history";
import { DEMO_PASSWORD, DEMO_PEOPLE } from "./demo/people";

/**
 * Demo data that shows the product (`npm run dev` seeds an empty database;
 * `npm run db:seed -- --reset` starts over): a customer on Pro with
 * projects, tasks, a trashed project and four months of invoices; a payments
 * game day ten days ago with its incident, breaker history and post-mortem;
 * 30 days of uptime samples and the jobs' run history; a problem report,
 * the support session that answered it (on the customer's activity page),
 * a release flag mid-rollout with a production change waiting for a second
 * admin, a readiness sign-off, and a customer whose deletion is pending.
 *
 * Deterministic: the same `now` gives the same rows, but for what the
 * database or the app makes up (ids, report references, tokens) and the
 * moment the actions ran (their audit events say when the seed ran them).
 */
export { DEMO_PASSWORD };
export const DEMO_USERS = DEMO_PEOPLE.filter((p) => p.key !== "leaving");

export type SeedOptions = { now?: Date };

/** Demo accounts share a published password: a production deployment never gets them (checked before any database is opened). */
export function refuseProduction(what: string) {
  if (env.appEnv === "production") throw new Error(`${what} refuses APP_ENV=production: the demo accounts (an admin among them) share a published password.`);
}

/** Seeds the demo into an empty database; does nothing when it has users. */
export async function seedDemoData(db: Db, options: SeedOptions = {}): Promise<{ seeded: boolean }> {
  refuseProduction("Seeding demo data");
  const existing = await db.select({ id: users.id }).from(users).limit(1);
  if (existing.length > 0) return { seeded: false };
  // Whole minutes: history lines up with the schedules and the uptime job's samples.
  const now = new Date(Math.floor((options.now ?? new Date()).getTime() / 60_000) * 60_000);
  const random = seededRandom(20_261_123);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const people = {} as Record<keyof DemoPeople, SessionUser & { subscriptionId: string }>;
  await db.transaction(async (tx) => {
    for (const person of DEMO_PEOPLE) {
      const [user] = await tx.insert(users).values({ email: person.email, name: person.name, role: person.role, passwordHash, createdAt: new Date(now.getTime() - 120 * 86_400_000) }).returning();
      const [subscription] = await tx.insert(subscriptions).values({ userId: user!.id, plan: person.plan, currentPeriodEnd: new Date(now.getTime() + 20 * 86_400_000) }).returning();
      people[person.key] = { id: user!.id, email: user!.email, name: user!.name, role: user!.role, status: user!.status, subscriptionId: subscription!.id };
    }
    const customer = people.user;
    const periodEnd = await seedInvoices(tx, now, customer.id, customer.subscriptionId);
    await tx.update(subscriptions).set({ currentPeriodEnd: periodEnd }).where(sql`${subscriptions.id} = ${customer.subscriptionId}`);
    await seedGameDay(tx, now, people.admin.id);
    await seedJobHistory(tx, now, random);
    await seedUptimeSamples(tx, now);
  });
  // Thirty "action ok" lines would bury the demo logins; warnings and errors still print.
  const level = logger.level;
  logger.level = level === "silent" ? level : "warn";
  try {
    await seedActivity(people);
  } finally {
    logger.level = level;
  }
  return { seeded: true };
}

/**
 * Empties the database for a fresh seed: drops every table (and the record
 * of applied migrations), so the next open migrates from scratch. The audit
 * log refuses row deletes by design; dropping its schema is the only reset.
 */
export async function resetDatabase(db: Db): Promise<void> {
  refuseProduction("Resetting the database");
  await db.execute(sql`drop schema if exists drizzle cascade`);
  await db.execute(sql`drop schema if exists public cascade`);
  await db.execute(sql`create schema public`);
}

export function demoLoginsText(): string {
  const lines = DEMO_USERS.map((u) => `  ${u.role.padEnd(8)} ${u.email.padEnd(26)} ${DEMO_PASSWORD}`);
  return ["Demo logins (role, email, password):", ...lines].join("\n");
}
