import { expect, test, type Page } from "@playwright/test";
import { authFile, signUp, unique } from "./helpers";

/**
 * What a keyboard, screen-reader or phone user meets beyond what axe checks:
 * the skip link, where they are in each nav, the phone menus, titles and
 * statuses, where focus goes after an action and what is announced, and the
 * theme choice.
 */

const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? { tag: el.tagName.toLowerCase(), id: el.id, role: el.getAttribute("role"), text: el.textContent?.trim() ?? "", invalid: el.getAttribute("aria-invalid") } : null;
});

test.describe("as a user", () => {
  test.use({ storageState: authFile("user") });

  test("the skip link is the first stop and lands on the page's content", async ({ page }) => {
    await page.goto("/billing");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to main content", exact: true });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();
  });

  test("the header marks the current page", async ({ page }) => {
    await page.goto("/billing");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Billing", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Projects", exact: true })).not.toHaveAttribute("aria-current", /.*/);
  });

  test("titles say which page, and refusals answer real statuses", async ({ page }) => {
    // A walk through a dozen pages and refusals: it ran past the default 30 s on a loaded 2-core machine.
    test.setTimeout(60_000);
    await page.goto("/projects");
    const first = page.locator('main a[href^="/projects/"]').filter({ hasNotText: "Trash" }).first();
    const name = (await first.textContent())!.trim();
    await first.click();
    await expect(page).toHaveTitle(`${name} · Breakwater`);

    const missing = await page.goto("/no-such-page");
    expect(missing?.status()).toBe(404);
    await expect(page).toHaveTitle("Page not found · Breakwater");

    const refused = await page.goto("/admin");
    expect(refused?.status()).toBe(403);
    await expect(page).toHaveTitle("Access denied · Breakwater");
  });

  test("the theme can be chosen and is kept", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/projects");
    await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
    await page.getByRole("button", { name: "Theme", exact: true }).click();
    await page.getByRole("menuitemradio", { name: "Dark" }).click();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  });
});

test("after an action, focus goes to the field to fix, then to the announced result", async ({ page }) => {
  await signUp(page, "Focus Person", `${unique("focus")}@breakwater.test`);
  await page.goto("/projects");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create project", exact: true }) });
  // The live regions are there before anything happens, empty.
  await expect(form.getByRole("status")).toHaveText("");
  await expect(form.getByRole("alert")).toHaveText("");

  await page.getByRole("button", { name: "Create project", exact: true }).click();
  await expect(page.getByLabel("Project name", { exact: true })).toBeFocused();
  await expect(page.getByLabel("Project name", { exact: true })).toHaveAttribute("aria-invalid", "true");

  const name = unique("Focused");
  await page.getByLabel("Project name", { exact: true }).fill(name);
  await page.keyboard.press("Enter");
  await expect(form.getByRole("status")).toHaveText(`Project "${name}" created.`);
  expect(await focused(page)).toMatchObject({ role: "status", text: `Project "${name}" created.` });
});

test("emptying the trash leaves focus on the page and says so", async ({ page }) => {
  await signUp(page, "Trash Person", `${unique("trash")}@breakwater.test`);
  await page.goto("/projects");
  const name = unique("Doomed");
  await page.getByLabel("Project name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create project", exact: true }).click();
  await page.getByRole("link", { name, exact: true }).click();
  await page.getByRole("button", { name: "Delete project", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page).toHaveURL(/\/projects$/);

  await page.goto("/projects/trash");
  await page.getByRole("button", { name: "Empty trash", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Type empty trash to confirm").fill("empty trash");
  await dialog.getByRole("button", { name: "Empty trash", exact: true }).click();
  await expect(page.getByText("The trash is empty.")).toBeVisible();
  await expect(page.getByText("Trash emptied.")).toBeVisible();
  await expect(page.locator("main#main")).toBeFocused();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test.describe("as an admin", () => {
    test.use({ storageState: authFile("admin") });

    test("the header folds into a menu and the admin sections into a sheet", async ({ page }) => {
      await page.goto("/admin");
      await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
      await page.getByRole("button", { name: "Menu", exact: true }).click();
      const menu = page.getByRole("dialog", { name: "Menu" });
      await expect(menu.getByRole("link", { name: "Admin", exact: true })).toHaveAttribute("aria-current", "page");
      await menu.getByRole("link", { name: "Billing", exact: true }).click();
      await expect(page).toHaveURL(/\/billing$/);
      await expect(menu).toBeHidden();

      await page.goto("/admin/jobs");
      await page.getByRole("button", { name: "Admin sections: Jobs" }).click();
      const sections = page.getByRole("dialog", { name: "Admin sections" });
      await expect(sections.getByRole("link", { name: "Jobs", exact: true })).toHaveAttribute("aria-current", "page");
      await expect(sections.getByRole("link", { name: "Overview", exact: true })).not.toHaveAttribute("aria-current", /.*/);
      await sections.getByRole("link", { name: "Breakers", exact: true }).click();
      await expect(page.getByRole("heading", { name: "Breakers", exact: true })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    });
  });
});

test("the Sentry browser SDK is not part of any page's first load", async ({ page }) => {
  const scripts: string[] = [];
  page.on("response", async (response) => {
    if (response.request().resourceType() === "script") scripts.push(await response.text().catch(() => ""));
  });
  await page.goto("/", { waitUntil: "networkidle" });
  expect(scripts.length).toBeGreaterThan(0);
  // The SDK keeps its state on a global carrier it names in its own code: no script the page loaded may hold it.
  expect(scripts.filter((source) => source.includes("__SENTRY__"))).toHaveLength(0);
});
