import { expect, test } from "@playwright/test";
import { authFile } from "./helpers";

const adminPages = [
  { path: "/admin", heading: "Admin" },
  { path: "/admin/users", heading: "Users" },
  { path: "/admin/outbox", heading: "Outbox" },
  { path: "/admin/alerts", heading: "Alerts" },
];

test.describe("a user", () => {
  test.use({ storageState: authFile("user") });

  test("has no Admin link", async ({ page }) => {
    await page.goto("/projects");
    await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
  });

  for (const { path, heading } of adminPages) {
    test(`is refused ${path}`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: "Access denied", exact: true })).toBeVisible();
      await expect(page.getByRole("heading", { name: heading, exact: true })).toHaveCount(0);
    });
  }
});

for (const role of ["support", "admin"] as const) {
  test.describe(`${role} staff`, () => {
    test.use({ storageState: authFile(role) });

    test("sees the Admin link", async ({ page }) => {
      await page.goto("/projects");
      await page.getByRole("link", { name: "Admin", exact: true }).click();
      await expect(page).toHaveURL(/\/admin$/);
      await expect(page.getByRole("heading", { name: "Admin", exact: true })).toBeVisible();
    });

    for (const { path, heading } of adminPages) {
      test(`is allowed ${path}`, async ({ page }) => {
        await page.goto(path);
        await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
        await expect(page.getByRole("heading", { name: "Access denied", exact: true })).toHaveCount(0);
      });
    }
  });
}
