import { expect, test } from "@playwright/test";
import { authFile } from "./helpers";

test.use({ storageState: authFile("admin") });

// The e2e server has no alert destination configured: that must be impossible to miss.
test("with no alert destination, the admin overview says plainly that nobody will be paged", async ({ page }) => {
  await page.goto("/admin");
  await expect(page.getByRole("alert").filter({ hasText: "Nobody will be paged: no alert destination is configured" })).toBeVisible();
  await page.getByRole("link", { name: "Alerts", exact: true }).first().click();
  await expect(page).toHaveURL(/\/admin\/alerts$/);
  await expect(page.getByRole("heading", { name: "Alerts", exact: true })).toBeVisible();
  await expect(page.getByText("Pages go to the pager, Slack and email; tickets to Slack and email; info to Slack.")).toBeVisible();
  // Nothing to send a test to.
  await expect(page.getByRole("button", { name: "Send a test alert" })).toHaveCount(0);
});
