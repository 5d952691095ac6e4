import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { authFile, DEMO_PASSWORD, signUp, unique } from "./helpers";

async function signInTo(page: Page, email: string, url: RegExp) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(url);
}

test.describe("as the demo user", () => {
  test.use({ storageState: authFile("user") });

  test("delete a project → trash → restore brings it back with its task", async ({ page }) => {
    const name = unique("Trashable");
    const task = unique("Task");
    await page.goto("/projects");
    await page.getByLabel("Project name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Create project", exact: true }).click();
    await page.getByRole("link", { name, exact: true }).click();
    await page.getByLabel("Task title", { exact: true }).fill(task);
    await page.getByRole("button", { name: "Add task", exact: true }).click();
    await expect(page.getByText(task, { exact: true })).toBeVisible();

    await page.getByRole("button", { name: "Delete project", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);

    await page.getByRole("link", { name: "Trash", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Trash", exact: true })).toBeVisible();
    await expect(page.getByText(name, { exact: true })).toBeVisible();
    await page.getByRole("button", { name: `Restore ${name}`, exact: true }).click();
    await expect(page.getByText(name, { exact: true })).toHaveCount(0);

    await page.goto("/projects");
    await page.getByRole("link", { name, exact: true }).click();
    await expect(page.getByText(task, { exact: true })).toBeVisible();
  });

  test("export my data as a ZIP and download it", async ({ page }) => {
    await page.goto("/account");
    await page.getByRole("link", { name: "Export my data", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Your data", exact: true })).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export my data", exact: true }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^breakwater-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const file = await download.path();
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(bytes.includes(Buffer.from("manifest.json"))).toBe(true);
  });
});

test("deactivate → sign in → reactivate; request deletion → sign in → cancel during grace", async ({ page }) => {
  // Six sign-ins and two round trips through the account pages: close to the default 30 s on a loaded 2-core machine.
  test.setTimeout(60_000);
  const email = `${unique("lifecycle")}@example.test`;
  await signUp(page, "Life Cycle", email);

  await page.goto("/account/danger");
  await page.getByRole("button", { name: "Deactivate account", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Deactivate", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // Every other page stays closed to the paused account.
  await page.goto("/projects");
  await expect(page).toHaveURL(/\/sign-in/);

  await signInTo(page, email, /\/account\/deactivated$/);
  await expect(page.getByRole("heading", { name: "Your account is deactivated", exact: true })).toBeVisible();
  await page.goto("/billing");
  await expect(page).toHaveURL(/\/account\/deactivated$/);
  await page.getByRole("button", { name: "Reactivate", exact: true }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();

  await page.goto("/account/danger");
  await page.getByRole("button", { name: "Delete account", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Type your email address to confirm", { exact: true }).fill(email);
  await dialog.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Delete my account", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await signInTo(page, email, /\/account\/deactivated$/);
  await expect(page.getByRole("heading", { name: "Your account is scheduled for deletion", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Cancel deletion", exact: true }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
});
