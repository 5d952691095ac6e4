import { expect, test } from "@playwright/test";
import { authFile } from "./helpers";

test.use({ storageState: authFile("admin") });

test("admin filters the audit log, sees a clear error for a bad date, verifies the chain and exports", async ({ page }) => {
  await page.goto("/admin/audit?action=auth.sign_in");
  await expect(page.getByRole("heading", { name: "Audit log", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: /auth\.sign_in/ }).first()).toBeVisible();

  await page.goto("/admin/audit?from=not-a-date&actor=%27%20or%201%3D1%20--");
  await expect(page.getByRole("alert").filter({ hasText: "Fix the filter" })).toContainText("Enter a date like 2026-01-31");

  await page.goto("/admin/audit");
  await page.getByRole("button", { name: "Verify chain now", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Chain intact");

  const csv = await page.request.get("/admin/audit/export?format=csv&action=auth.sign_in");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\n")[0]).toContain("occurredAt");
  const json = await page.request.get("/admin/audit/export?format=json&outcome=denied");
  expect(json.status()).toBe(200);
  expect(Array.isArray(await json.json())).toBe(true);
  expect((await page.request.get("/admin/audit/export?format=xml")).status()).toBe(400);

  // Reading the log is itself in the log.
  await page.goto("/admin/audit?action=audit.export");
  await expect(page.getByRole("cell", { name: /audit\.export/ }).first()).toBeVisible();
});

test.describe("a plain user", () => {
  test.use({ storageState: authFile("user") });
  test("a plain user can't read or export the audit log", async ({ page }) => {
    await page.goto("/admin/audit");
    await expect(page.getByRole("heading", { name: "Access denied", exact: true })).toBeVisible();
    expect((await page.request.get("/admin/audit/export?format=csv")).status()).toBe(403);
  });
});
