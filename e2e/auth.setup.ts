import { expect, test as setup } from "@playwright/test";
import { authFile, demo, signIn, type Role } from "./helpers";

// One test per demo role; playwright.config.ts gives each its own setup project
// (grep "as <role>"), and specs load the saved storage state with test.use().
for (const role of Object.keys(demo) as Role[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, demo[role]);
    await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
    await page.context().storageState({ path: authFile(role) });
  });
}
