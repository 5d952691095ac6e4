import { expect, test, type Page } from "@playwright/test";
import { authFile, unique } from "./helpers";

// Puts the whole app into read-only maintenance for a few seconds: it runs alone, after every other spec.
test.describe.configure({ mode: "serial" });
test.use({ storageState: authFile("admin") });

async function setMaintenance(page: Page, verb: "Start maintenance" | "End maintenance") {
  await page.goto("/admin");
  await page.getByLabel("Reason", { exact: true }).fill(unique(`e2e ${verb.toLowerCase()}`));
  await page.getByRole("button", { name: verb, exact: true }).click();
  await page.getByRole("button", { name: `Confirm: ${verb.toLowerCase()}`, exact: true }).click();
  // The control re-renders with the stored state once the change is committed.
  await expect(page.getByTestId("maintenance-state")).toContainText(verb === "Start maintenance" ? "On since" : "Off");
}

test("read-only maintenance: banner on every page, writes refused, /status says so, and it ends", async ({ page, browser }) => {
  const user = await (await browser.newContext({ storageState: authFile("user") })).newPage();
  const visitor = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
  await setMaintenance(page, "Start maintenance");
  try {
    await expect(page.getByTestId("maintenance-banner")).toBeVisible();

    // A customer still reads their projects, sees the banner, and a write is refused with the maintenance sentence.
    await user.goto("/projects");
    await expect(user.getByTestId("maintenance-banner")).toBeVisible();
    await user.getByLabel("Project name", { exact: true }).fill(unique("e2e maintenance project"));
    await user.getByRole("button", { name: "Create project", exact: true }).click();
    await expect(user.getByRole("alert").filter({ hasText: "read-only maintenance" })).toBeVisible();

    // The public status page carries the notice (its snapshot is at most a second old).
    await expect(async () => {
      await visitor.goto("/status");
      await expect(visitor.getByTestId("read-only-maintenance")).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 15_000 });
  } finally {
    await setMaintenance(page, "End maintenance");
  }
  await expect(page.getByTestId("maintenance-banner")).toHaveCount(0);
  await expect(async () => {
    await visitor.goto("/status");
    await expect(visitor.getByTestId("read-only-maintenance")).toHaveCount(0, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await user.context().close();
  await visitor.context().close();
});
