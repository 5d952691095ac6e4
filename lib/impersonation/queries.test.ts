import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { users } from "@/db/schema";
import { contextFor, createTestUser } from "@/test/factories";
import { viewAsVerdict } from "./eligibility";
import { viewAsEligibility } from "./queries";

describe("who may view whom", () => {
  const user = { id: "u", role: "user", status: "active" } as const;
  const support = { id: "s", role: "support", status: "active" } as const;
  const admin = { id: "a", role: "admin", status: "active" } as const;

  it("support views users; admins view users and support; nobody views an admin or themselves", () => {
    expect(viewAsVerdict(support, user)).toEqual({ allowed: true });
    expect(viewAsVerdict(admin, user)).toEqual({ allowed: true });
    expect(viewAsVerdict(admin, support)).toEqual({ allowed: true });
    expect(viewAsVerdict(support, { ...support, id: "s2" })).toMatchObject({ allowed: false, code: "forbidden" });
    expect(viewAsVerdict(admin, { ...admin, id: "a2" })).toMatchObject({ allowed: false, code: "forbidden" });
    expect(viewAsVerdict(support, admin)).toMatchObject({ allowed: false, code: "forbidden" });
    expect(viewAsVerdict(admin, admin)).toMatchObject({ allowed: false, code: "forbidden" });
    expect(viewAsVerdict(user, { ...user, id: "u2" })).toMatchObject({ allowed: false, code: "forbidden" });
  });

  it("only active accounts can be viewed", () => {
    expect(viewAsVerdict(admin, { ...user, status: "deactivated" })).toMatchObject({ allowed: false, code: "conflict", reason: expect.stringContaining("deactivated") });
  });
});

describe("the view-as eligibility query", () => {
  it("is refused to a user and answers staff with the shared rule", async () => {
    const customer = await createTestUser();
    const support = await createTestUser({ role: "support" });
    const admin = await createTestUser({ role: "admin" });
    expect(await viewAsEligibility.run({ userId: support.id }, contextFor(customer))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await viewAsEligibility.run({ userId: customer.id }, contextFor(support))).toMatchObject({ ok: true, data: { allowed: true, reason: null, maxMinutes: expect.any(Number), reasonMax: 500 } });
    expect(await viewAsEligibility.run({ userId: admin.id }, contextFor(support))).toMatchObject({ ok: true, data: { allowed: false, reason: "Admins can't be viewed as a user." } });
    expect(await viewAsEligibility.run({ userId: support.id }, contextFor(support))).toMatchObject({ ok: true, data: { allowed: false } });
    expect(await viewAsEligibility.run({ userId: support.id }, contextFor(admin))).toMatchObject({ ok: true, data: { allowed: true } });
  });

  it("follows the account's status, and a missing account is not found", async () => {
    const customer = await createTestUser();
    const admin = await createTestUser({ role: "admin" });
    await (await getDb()).update(users).set({ status: "deactivated" }).where(eq(users.id, customer.id));
    expect(await viewAsEligibility.run({ userId: customer.id }, contextFor(admin))).toMatchObject({ ok: true, data: { allowed: false } });
    expect(await viewAsEligibility.run({ userId: crypto.randomUUID() }, contextFor(admin))).toMatchObject({ ok: false, code: "not_found" });
  });
});
