import { expect, test, type Page } from "@playwright/test";
import { authFile, unique } from "./helpers";

// Flips the payments kill switch and forces the payments breaker for a few seconds each: a billing
// spec running at the same moment in another worker would see billing paused. Serial, and short.
test.describe.configure({ mode: "serial" });
test.use({ storageState: authFile("admin") });

/** /status reuses its answer for a second per instance: reload until Billing shows `state`. */
async function expectBilling(page: Page, state: string, not = false) {
  await expect(async () => {
    await page.goto("/status");
    const billing = page.locator('[data-component="billing"]');
    if (not) await expect(billing).not.toContainText(state, { timeout: 500 });
    else await expect(billing.getByLabel(`Billing: ${state}`)).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
}

test("turning payments off shows Billing as Paused; forcing the payments breaker open shows Degraded", async ({ page, browser }) => {
  const visitor = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
  await page.goto("/admin/runbooks/payment-provider-down");
  try {
    await page.getByLabel("Reason for turning payments off").fill(unique("e2e status paused"));
    await page.getByRole("button", { name: "Turn payments off", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "payments turned off." })).toBeVisible();
    await expectBilling(visitor, "Paused");
  } finally {
    await page.goto("/admin/runbooks/payment-provider-down");
    await page.getByLabel("Reason for turning payments on").fill(unique("e2e status resumed"));
    await page.getByRole("button", { name: "Turn payments on", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "payments turned on." })).toBeVisible();
  }
  await expectBilling(visitor, "Paused", true);

  await page.goto("/admin/runbooks/payment-provider-down");
  try {
    await page.getByLabel("Reason for forcing the payments breaker").fill("e2e: status degraded");
    await page.getByRole("button", { name: "Force payments breaker open", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Breaker forced open." })).toBeVisible();
    await expectBilling(visitor, "Degraded");
  } finally {
    await page.goto("/admin/runbooks/payment-provider-down");
    await page.getByLabel("Reason for releasing the payments breaker").fill("e2e: status done");
    await page.getByRole("button", { name: "Release payments breaker", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Breaker released." })).toBeVisible();
  }
  await expectBilling(visitor, "Operational");
  await visitor.context().close();
});

test("posting an incident shows it on /status and in the feed; an empty title is refused", async ({ page }) => {
  const title = unique("Checkout slow");
  await page.goto("/admin/incidents");
  const form = page.getByRole("form", { name: "Post an incident" });
  await form.getByRole("button", { name: "Post incident", exact: true }).click();
  await expect(form.getByText("Give the incident a title.")).toBeVisible();

  await form.getByLabel("Title", { exact: true }).fill(title);
  await form.getByLabel("First update", { exact: true }).fill("Some payments take longer than usual. We are investigating.");
  await form.getByRole("checkbox", { name: "Billing" }).check();
  await form.getByRole("button", { name: "Post incident", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Incident posted on /status." })).toBeVisible();

  const incident = page.getByRole("article").filter({ has: page.getByRole("heading", { name: title }) });
  await expect(async () => {
    await page.goto("/status");
    await expect(incident).toContainText("Some payments take longer than usual.", { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(incident).toContainText("Investigating");

  const feed = await page.request.get("/api/status/feed");
  expect(feed.headers()["content-type"]).toContain("application/atom+xml");
  expect(await feed.text()).toContain(title);
  const json = (await (await page.request.get("/api/status")).json()) as { incidents: { title: string }[] };
  expect(json.incidents.map((i) => i.title)).toContain(title);

  // Resolve it so the page returns to normal for other specs.
  await page.goto("/admin/incidents");
  const update = page.getByRole("form", { name: `Update ${title}` });
  await update.getByLabel(`Status for ${title}`).selectOption("resolved");
  await update.getByLabel(`Update message for ${title}`).fill("Payments are back to normal.");
  await update.getByRole("button", { name: "Post update" }).click();
  // A resolved incident takes no more updates, so its form goes away.
  await expect(update).toHaveCount(0);
  const past = page.getByRole("region", { name: "Past incidents" }).getByRole("article").filter({ has: page.getByRole("heading", { name: title }) });
  await expect(async () => {
    await page.goto("/status");
    await expect(past).toContainText("Payments are back to normal.", { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(past).toContainText("Resolved");
});

test("signing off an attestation updates the counts and the audit log", async ({ page }) => {
  await page.goto("/admin/readiness");
  const summary = page.getByTestId("readiness-summary");
  const before = (await summary.textContent()) ?? "";
  const signed = Number(/(\d+) of 7 signed off/.exec(before)?.[1]);
  const never = Number(/(\d+) never signed off/.exec(before)?.[1]);
  const card = page.locator('[data-attestation="postmortem"]');
  const wasNever = (await card.textContent())?.includes("Never signed off");
  const wasPassed = (await card.textContent())?.includes("passed");
  const note = unique("Reviewed the practice post-mortem");
  await page.getByLabel("Note for Incident review template with a first post-mortem").fill(note);
  await page.getByRole("button", { name: "Sign off Incident review template with a first post-mortem" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed off." })).toBeVisible();
  await page.reload();
  await expect(summary).toContainText(`${wasPassed ? signed : signed + 1} of 7 signed off`);
  await expect(summary).toContainText(`${wasNever ? never - 1 : never} never signed off`);
  await expect(card).toContainText("admin@breakwater.test");
  await expect(card).toContainText(note);

  await page.goto("/admin/audit?action=readiness.sign_off");
  await expect(page.getByRole("cell", { name: /readiness\.sign_off/ }).first()).toBeVisible();
});

test.describe("as support", () => {
  test.use({ storageState: authFile("support") });
  test("support can read readiness but has no sign-off control", async ({ page }) => {
    await page.goto("/admin/readiness");
    await expect(page.getByTestId("readiness-summary")).toContainText("of 7 signed off");
    await expect(page.getByRole("button", { name: /^Sign off/ })).toHaveCount(0);
  });
});
