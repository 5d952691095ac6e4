import { expect, test, type Browser, type Page } from "@playwright/test";
import { authFile, signUp, unique } from "./helpers";

// Opens the payments breaker for the whole server: a billing spec running at the same moment in
// another worker would fail fast too. Run this spec on its own, like flags.spec.ts.
// The cooldown is BREAKER_COOLDOWN_MS on the server (default 30 s); 10 s keeps this spec quick.
test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

const UNAVAILABLE = "Our payment provider is unavailable; you have not been charged. Please try again shortly.";
const THRESHOLD = 5;

// Each person signs up from their own address: sign-ups are rate limited per ip.
async function person(browser: Browser, label: string): Promise<Page> {
  const context = await browser.newContext({
    storageState: { cookies: [], origins: [] },
    extraHTTPHeaders: { "x-forwarded-for": `10.${rand()}.${rand()}.${rand()}` },
  });
  const page = await context.newPage();
  await signUp(page, label, `${unique("resilience")}@example.test`);
  await page.goto("/billing");
  return page;
}
const rand = () => Math.floor(Math.random() * 250) + 1;

async function setPaymentFaults(admin: Page, failPercent: number) {
  await admin.goto("/admin/breakers");
  await admin.getByLabel("payments: fail %").fill(String(failPercent));
  await admin.getByLabel("payments: timeout %").fill("0");
  await admin.getByLabel("payments: latency ms").fill("0");
  await admin.getByRole("button", { name: "Save payments faults", exact: true }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Faults saved." })).toBeVisible();
}

async function fakeCalls(admin: Page): Promise<number> {
  await admin.goto("/admin/breakers");
  return Number(await admin.getByTestId("fake-calls-payments").textContent());
}

test("payments down: breaker opens, plan change fails fast without calling, probe after cooldown closes it", async ({ browser }) => {
  const adminContext = await browser.newContext({ storageState: authFile("admin") });
  const admin = await adminContext.newPage();
  try {
    await admin.goto("/admin/breakers");
    await admin.getByLabel("Reason for changing payments").fill("e2e: start from automatic");
    await admin.getByRole("button", { name: "Reset to automatic for payments", exact: true }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Breaker updated." }).first()).toBeVisible();
    await setPaymentFaults(admin, 100);

    // Both people are ready before the breaker opens, so the check below runs inside the cooldown.
    const first = await person(browser, "First Payer");
    const second = await person(browser, "Second Payer");

    // Someone keeps trying while the provider fails: each try reaches it, until the threshold.
    for (let i = 0; i < THRESHOLD; i++) {
      await first.getByRole("button", { name: "Switch to Pro", exact: true }).click();
      await expect(first.getByRole("alert").filter({ hasText: UNAVAILABLE })).toBeVisible();
      await first.reload();
    }
    await admin.goto("/admin/breakers");
    await expect(admin.getByTestId("breaker-state-payments")).toContainText("Open");
    const callsWhenOpened = await fakeCalls(admin);

    // Open: a plan change fails fast with the clear sentence, and nothing reaches the provider.
    await second.getByRole("button", { name: "Switch to Pro", exact: true }).click();
    await expect(second.getByRole("alert").filter({ hasText: UNAVAILABLE })).toBeVisible();
    await expect(second.getByText("Current plan: Free")).toBeVisible();
    expect(await fakeCalls(admin)).toBe(callsWhenOpened);

    // The provider recovers; after the cooldown exactly one probe goes through and closes the breaker.
    await setPaymentFaults(admin, 0);
    await expect(async () => {
      await admin.goto("/admin/breakers");
      await expect(admin.getByTestId("breaker-cooldown-payments")).toHaveText("–", { timeout: 1_000 });
    }).toPass({ timeout: 120_000, intervals: [1_000] });
    await second.reload();
    await second.getByRole("button", { name: "Switch to Pro", exact: true }).click();
    await expect(second.getByRole("status").filter({ hasText: "Plan changed to Pro." })).toBeVisible();
    expect(await fakeCalls(admin)).toBe(callsWhenOpened + 1);
    await expect(admin.getByTestId("breaker-state-payments")).toContainText("Closed");
    const timeline = admin.getByRole("list", { name: "payments transitions" });
    await expect(timeline).toContainText("half_open → closed: probe succeeded");
    await expect(timeline).toContainText("closed → open: failure rate");
  } finally {
    await setPaymentFaults(admin, 0).catch(() => {});
    await adminContext.close();
  }
});

test("cron refuses a missing or wrong secret; an admin runs a job now and sees the run", async ({ browser, request }) => {
  expect((await request.get("/api/cron/notification_delivery")).status()).toBe(401);
  expect((await request.get("/api/cron/notification_delivery", { headers: { authorization: "Bearer not-the-secret-at-all" } })).status()).toBe(401);
  const secret = process.env.CRON_SECRET ?? "test-cron-secret";
  const ok = await request.get("/api/cron/notification_delivery", { headers: { authorization: `Bearer ${secret}` } });
  expect(ok.status()).toBe(200);

  const adminContext = await browser.newContext({ storageState: authFile("admin") });
  const admin = await adminContext.newPage();
  try {
    await admin.goto("/admin/jobs");
    // The jobs table is a DataTable (no per-row test ids): the job's row is the one holding its own "Run now" button.
    const row = admin.getByRole("row").filter({ has: admin.getByRole("button", { name: "Run now for notification_delivery", exact: true }) });
    await expect(row).toContainText("OK");
    await row.getByRole("button", { name: "Run now for notification_delivery", exact: true }).click();
    await expect(row.getByRole("status")).toContainText(/Run (succeeded|skipped)\./);
    await admin.reload();
    await expect(admin.getByRole("row").filter({ hasText: "manual" }).filter({ hasText: "notification_delivery" }).first()).toBeVisible();
  } finally {
    await adminContext.close();
  }
});
