import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export const planEnum = pgEnum("plan", ["free", "pro", "team"]);
export const subscriptionStatusEnum = pgEnum("subscription_status", ["active", "past_due", "canceled"]);
export const invoiceStatusEnum = pgEnum("invoice_status", ["paid", "failed", "refunded"]);

export const subscriptions = pgTable("subscriptions", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id")
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: "cascade" }),
  plan: planEnum("plan").notNull().default("free"),
  status: subscriptionStatusEnum("status").notNull().default("active"),
  currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** Millisecond precision: plan changes compare it as an optimistic-concurrency token through a JS Date. */
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export const invoices = pgTable(
  "invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    subscriptionId: uuid("subscription_id").references(() => subscriptions.id, { onDelete: "set null" }),
    plan: planEnum("plan").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("usd"),
    status: invoiceStatusEnum("status").notNull(),
    description: text("description").notNull(),
    /** The provider's charge id; the charge itself lives at the provider. */
    providerChargeId: text("provider_charge_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("invoices_user_idx").on(t.userId, t.createdAt)],
);

/**
 * The fake payments provider's own ledger: what "the provider" charged.
 * A real provider keeps this on its side; tests and e2e assert against it.
 */
export const fakePaymentCharges = pgTable(
  "fake_payment_charges",
  {
    id: text("id").primaryKey(),
    customerRef: text("customer_ref").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    description: text("description").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("fake_payment_charges_idempotency_key").on(t.idempotencyKey)],
);

/** Faults the fake providers are told to inject, so failure paths can be exercised for real. */
export const providerFaults = pgTable("provider_faults", {
  provider: text("provider").primaryKey(),
  failPercent: integer("fail_percent").notNull().default(0),
  timeoutPercent: integer("timeout_percent").notNull().default(0),
  latencyMs: integer("latency_ms").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Plan = (typeof planEnum.enumValues)[number];
export type Subscription = typeof subscriptions.$inferSelect;
export type Invoice = typeof invoices.$inferSelect;
