import { expect, test } from "@playwright/test";
import { authFile } from "./helpers";
import { axeViolations, overflowX } from "./quality/axe";
import { resolveRoute, ROUTES, STANDALONE_DOCUMENTS, type Viewer } from "./quality/routes";

/**
 * Accessibility and reflow gate: every route, as every viewer. For each page:
 * axe (WCAG 2.2 A/AA) at 1280×800 and at 390×844, colour contrast again in the
 * dark theme, and no horizontal scrolling at 320 px (WCAG 1.4.10). Any
 * violation fails, naming the rule and the element.
 */
// Three axe passes and a reflow check per page: more than the default 30 s on a loaded 2-core machine.
test.describe.configure({ mode: "parallel", timeout: 60_000 });
// A failure names the rule and the element; a trace of every page would only slow the gate down.
test.use({ trace: "off" });

// A report to open on /admin/reports/[id], in case no other spec has sent one yet.
test.beforeAll(async ({ request, baseURL }) => {
  const response = await request.post("/api/reports", {
    // A mutation from this app's own origin, as the same-origin rule requires of every caller. A worker that restarts
    // after a failure runs this again: each run comes from an address of its own, so retries never meet the report limit.
    headers: { "X-Forwarded-For": `198.51.100.${1 + Math.floor(Math.random() * 254)}`, Origin: baseURL! },
    data: { description: "Accessibility check: a report to look at.", email: "a11y@breakwater.test", context: {} },
  });
  expect(response.ok()).toBe(true);
});

for (const viewer of Object.keys(ROUTES) as Viewer[]) {
  test.describe(`as ${viewer}`, () => {
    if (viewer !== "visitor") test.use({ storageState: authFile(viewer) });

    for (const route of ROUTES[viewer]) {
      test(`${route} is accessible and reflows`, async ({ page }) => {
        // axe over a long admin page takes seconds on a busy machine.
        test.slow();
        const path = await resolveRoute(page, route);
        test.skip(path === null, `no ${route} to open yet`);

        await page.setViewportSize({ width: 1280, height: 800 });
        await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
        await page.goto(path!);
        await page.locator("main").waitFor();
        expect.soft(await axeViolations(page), "axe at 1280×800").toEqual([]);

        await page.setViewportSize({ width: 390, height: 844 });
        expect.soft(await axeViolations(page), "axe at 390×844").toEqual([]);

        await page.setViewportSize({ width: 320, height: 720 });
        expect.soft(await overflowX(page), "pixels wider than a 320 px viewport").toBe(0);

        await page.setViewportSize({ width: 1280, height: 800 });
        await page.emulateMedia({ colorScheme: "dark" });
        // The app swaps a class on <html>; a standalone document (no script) follows the system by media query alone.
        if (!STANDALONE_DOCUMENTS.includes(route)) await expect(page.locator("html")).toHaveClass(/\bdark\b/);
        // The theme follows the system through a class swap that lands a moment later: ask until the page has restyled.
        // One axe pass over a long admin page can take seconds on a loaded machine, so the wait allows a few.
        await expect.poll(() => axeViolations(page, ["color-contrast"]), { message: "contrast in the dark theme", timeout: 20_000 }).toEqual([]);
      });
    }
  });
}
