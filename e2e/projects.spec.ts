import { expect, test } from "@playwright/test";
import { authFile, unique } from "./helpers";

test.use({ storageState: authFile("user") });

test("create, rename and delete a project", async ({ page }) => {
  const name = unique("Project");
  const renamed = unique("Renamed");

  await page.goto("/projects");
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  await page.getByLabel("Project name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create project", exact: true }).click();

  const link = page.getByRole("link", { name, exact: true });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute("href", /\/projects\/[^/]+$/);
  await link.click();
  await expect(page).toHaveURL(/\/projects\/[^/]+$/);
  await expect(page.getByRole("heading", { name, exact: true })).toBeVisible();

  await page.getByLabel("New name", { exact: true }).fill(renamed);
  await page.getByRole("button", { name: "Rename", exact: true }).click();
  await expect(page.getByRole("heading", { name: renamed, exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Delete project", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: renamed, exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});
