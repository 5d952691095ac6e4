import { sql } from "drizzle-orm";
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
  /** Credit from a prorated downgrade, taken off the next charge before the card is charged. */
  creditCents: integer("credit_cents").notNull().default(0),
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
 * What a payment attempt is known to have done, written before the provider
 * is called: pending → charged → settled (its invoice committed), or declined
 * / failed (not charged), or unknown (the call timed out: the provider may or
 * may not have charged) → reconciled by idempotency key, or refunding →
 * refunded (a charge undone). `settled`, `declined`, `failed` and `refunded`
 * are final.
 */
export const paymentAttemptStatusEnum = pgEnum("payment_attempt_status", ["pending", "charged", "settled", "declined", "failed", "unknown", "refunding", "refunded"]);

/** Statuses of an attempt whose money is not yet accounted for: at most one per subscription. */
export const OPEN_PAYMENT_STATUSES = ["pending", "charged", "unknown", "refunding"] as const;

export const paymentAttempts = pgTable(
  "payment_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    subscriptionId: uuid("subscription_id").references(() => subscriptions.id, { onDelete: "set null" }),
    plan: planEnum("plan").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("usd"),
    /** The subscription's `updated_at` when the change was asked for: applied later only if nothing changed since. */
    subscriptionVersion: timestamp("subscription_version", { withTimezone: true, precision: 3 }).notNull(),
    /** Sent to the provider with the charge; `plan-change:<id>`. */
    idempotencyKey: text("idempotency_key").notNull().unique(),
    status: paymentAttemptStatusEnum("status").notNull().default("pending"),
    chargeId: text("charge_id"),
    detail: text("detail"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    // One payment in flight per subscription: a double submit finds the first instead of charging again.
    uniqueIndex("payment_attempts_one_open").on(t.subscriptionId).where(sql`${t.status} in ('pending', 'charged', 'unknown', 'refunding')`),
    index("payment_attempts_status_idx").on(t.status, t.createdAt),
  ],
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
    refundedAt: timestamp("refunded_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("fake_payment_charges_idempotency_key").on(t.idempotencyKey), index("fake_payment_charges_created_idx").on(t.createdAt)],
);

/** The fake provider's refunds; one per idempotency key, like a real provider's. */
export const fakePaymentRefunds = pgTable("fake_payment_refunds", {
  id: text("id").primaryKey(),
  chargeId: text("charge_id")
    .notNull()
    .references(() => fakePaymentCharges.id),
  idempotencyKey: text("idempotency_key").notNull().unique(),
  reason: text("reason").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The real payments provider's customer for each user (a Stripe customer id)
 * and the card it charges off-session, saved through the provider's hosted
 * card form.
 */
export const paymentCustomers = pgTable("payment_customers", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  provider: text("provider").notNull(),
  customerId: text("customer_id").notNull().unique(),
  defaultPaymentMethod: text("default_payment_method"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Cancellations at the payments provider waiting for `payments` to be
 * switched back on: a purge while it is off queues one here instead of
 * calling the provider, and the payment reconciliation job sends it. Keyed
 * by the tombstone, never the person's id, so the purge still leaves nothing
 * that names them; the row goes once the provider has confirmed.
 */
export const providerCancellations = pgTable("provider_cancellations", {
  tombstoneId: text("tombstone_id").primaryKey(),
  /** The saved card the provider must stop charging (the customer row that named it goes with the account). */
  paymentMethod: text("payment_method"),
  queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every provider webhook event applied, by the provider's event id: a redelivered event changes nothing. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    provider: text("provider").notNull(),
    type: text("type").notNull(),
    /** applied | ignored */
    outcome: text("outcome").notNull(),
    detail: text("detail").notNull().default(""),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_events_received_idx").on(t.receivedAt)],
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
export type PaymentAttempt = typeof paymentAttempts.$inferSelect;
