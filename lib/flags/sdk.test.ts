import { createAccessProof, encryptOverrides } from "flags";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { contextFor, createTestUser, flagFormInput } from "@/test/factories";

// The Flags SDK's key, as a deployment sets it (32 bytes, base64url); set before the app's modules read the environment.
const SECRET = vi.hoisted(() => (process.env.FLAGS_SECRET = Buffer.alloc(32, 7).toString("base64url")));

let flags: typeof import("@/flags");
let actions: typeof import("./actions");
let discovery: typeof import("@/app/.well-known/vercel/flags/route");
let refresh: typeof import("./store").refreshFlagSnapshot;

beforeAll(async () => {
  flags = await import("@/flags");
  actions = await import("./actions");
  discovery = await import("@/app/.well-known/vercel/flags/route");
  ({ refreshFlagSnapshot: refresh } = await import("./store"));
});

const KEY = "billing_plan_comparison";
const overridesCookie = async (values: Record<string, unknown>, secret = SECRET) =>
  new Request("http://localhost/billing", { headers: { cookie: `vercel-flag-overrides=${await encryptOverrides(values, secret)}` } });

describe("Breakwater's flags through Vercel's Flags SDK", () => {
  it("a declared flag serves its default until it exists, then Breakwater's rules for the person asking", async () => {
    const [admin, chosen, other] = [await createTestUser({ role: "admin" }), await createTestUser(), await createTestUser()];
    // A page's request without an override cookie; the person is who identify would have found.
    const ask = (u: { id: string; email: string }) => flags.billingPlanComparison.run({ identify: { id: u.id, email: u.email, role: "user" }, request: new Request("http://localhost/billing") });
    expect(await ask(chosen)).toBe(false);

    // Targeted at one person in this environment (development): only they get it.
    const saved = await actions.saveFlagAction.run(
      flagFormInput(KEY, { environment: "development", targets: JSON.stringify([{ variant: "on", ids: [chosen.id] }]), reason: "sdk test" }),
      contextFor(admin),
    );
    expect(saved.ok).toBe(true);
    await refresh(0);
    expect(await ask(chosen)).toBe(true);
    expect(await ask(other)).toBe(false);
  });

  it("a developer's Flags Explorer override applies to their browser only when it was sealed with FLAGS_SECRET", async () => {
    const someone = { id: crypto.randomUUID(), email: "someone@example.com", role: "user" };
    expect(await flags.billingPlanComparison.run({ identify: someone, request: await overridesCookie({ [KEY]: true }) })).toBe(true);
    // Sealed with any other key, the cookie is ignored: nobody outside the team can switch a flag on for themselves.
    const forged = await overridesCookie({ [KEY]: true }, Buffer.alloc(32, 9).toString("base64url"));
    expect(await flags.billingPlanComparison.run({ identify: someone, request: forged })).toBe(false);
  });

  it("the discovery endpoint lists the declared flags, linked to their admin page, only for a request proven with the secret", async () => {
    const url = "http://localhost/.well-known/vercel/flags";
    expect((await discovery.GET(new NextRequest(url))).status).toBe(401);
    expect((await discovery.GET(new NextRequest(url, { headers: { authorization: "Bearer not-a-proof" } }))).status).toBe(401);
    const answer = await discovery.GET(new NextRequest(url, { headers: { authorization: `Bearer ${await createAccessProof(SECRET)}` } }));
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { definitions: Record<string, { description?: string; origin?: string; options?: unknown[] }> };
    expect(body.definitions[KEY]).toMatchObject({ description: expect.stringContaining("comparing the plans"), origin: expect.stringMatching(/\/admin\/flags\/billing_plan_comparison$/) });
    expect(body.definitions[KEY]!.options).toHaveLength(2);
  });
});
