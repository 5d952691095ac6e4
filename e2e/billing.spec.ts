import { expect, test, type Page } from "@playwright/test";
import { E2E_FLAGS_SECRET, signUp, unique } from "./helpers";

// A fresh account per test, so the plan starts at Free and no other spec sees the change.
function invoiceRow(page: Page, amount: string) {
  return page
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: amount, exact: true }) })
    .filter({ has: page.getByRole("cell", { name: "paid", exact: true }) });
}

test("switching to Pro records a $20.00 paid invoice", async ({ page }) => {
  await signUp(page, "Paying Person", `${unique("billing")}@example.test`);
  await page.goto("/billing");
  await expect(page.getByText("Current plan: Free")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Invoices", exact: true })).toBeVisible();
  // The page offers only the plans you are not on.
  await expect(page.getByRole("button", { name: "Switch to Pro", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Switch to Team", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Switch to Pro", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Plan changed to Pro." })).toBeVisible();
  await expect(page.getByText("Current plan: Pro")).toBeVisible();
  await expect(invoiceRow(page, "$20.00")).toHaveCount(1);
  for (const b of ["Switch to Team", "Switch to Free", "Cancel subscription"]) {
    await expect(page.getByRole("button", { name: b, exact: true })).toBeVisible();
  }

  // Survives a reload: the charge is stored, not just shown.
  await page.reload();
  await expect(page.getByText("Current plan: Pro")).toBeVisible();
  await expect(invoiceRow(page, "$20.00")).toHaveCount(1);
});

test("switching to Team records a $50.00 paid invoice, then back to Free with the unused part as credit", async ({ page }) => {
  await signUp(page, "Team Person", `${unique("team")}@example.test`);
  await page.goto("/billing");
  await page.getByRole("button", { name: "Switch to Team", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Plan changed to Team." })).toBeVisible();
  await expect(page.getByText("Current plan: Team")).toBeVisible();
  await expect(invoiceRow(page, "$50.00")).toHaveCount(1);

  await page.getByRole("button", { name: "Switch to Free", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Plan changed to Free." })).toBeVisible();
  await expect(page.getByText("Current plan: Free")).toBeVisible();
  // Prorated: nothing is charged, the unused part of the Team period becomes credit, and the invoice line says so.
  await expect(page.getByRole("cell", { name: /^Free plan from Team, prorated for the 30 days left in this period: \$0\.00 less \$50\.00 for unused Team; \$50\.00 credit kept for your next charge$/ })).toBeVisible();
  await expect(page.getByText("Credit: $50.00, taken off your next charge.")).toBeVisible();
});

test("a release flag read through the Flags SDK: off for everyone, on in the one browser a developer overrode it in", async ({ page, baseURL }) => {
  const { encryptOverrides } = await import("flags");
  await signUp(page, "Flag Person", `${unique("flags")}@example.test`);
  await page.goto("/billing");
  await expect(page.getByText("Current plan: Free")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Compare plans" })).toHaveCount(0);

  // What Flags Explorer sets: the override sealed with the server's FLAGS_SECRET (playwright.config.ts).
  const sealed = await encryptOverrides({ billing_plan_comparison: true }, E2E_FLAGS_SECRET);
  await page.context().addCookies([{ name: "vercel-flag-overrides", value: sealed, url: baseURL! }]);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Compare plans" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Free (your plan)" })).toBeVisible();

  // The same cookie sealed with any other key changes nothing.
  const forged = await encryptOverrides({ billing_plan_comparison: true }, Buffer.alloc(32, 1).toString("base64url"));
  await page.context().addCookies([{ name: "vercel-flag-overrides", value: forged, url: baseURL! }]);
  await page.reload();
  await expect(page.getByText("Current plan: Free")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Compare plans" })).toHaveCount(0);
});
