import { expect, test } from "@playwright/test";
import { authFile } from "./helpers";
import type { Viewer } from "./quality/routes";

/**
 * Visual regression: the key pages each viewer sees, light and dark, on a
 * laptop and (for a few) on a phone, against committed baselines in
 * e2e/visual.spec.ts-snapshots/. Runs first, on the freshly seeded database,
 * so every page shows the same data each time; clocks and the build version
 * are hidden (quality/screenshot.css).
 *
 * After an intended change of looks: `npm run test:visual:update`, look at
 * the new images, commit them.
 */
const PAGES: Record<Viewer, { path: string; phone?: boolean }[]> = {
  visitor: [{ path: "/", phone: true }, { path: "/sign-in" }, { path: "/legal/data-retention" }],
  user: [{ path: "/projects", phone: true }, { path: "/billing" }, { path: "/account" }],
  support: [{ path: "/admin/users" }],
  // /admin/jobs is left out: its recent runs are real runs, different in every test run.
  admin: [{ path: "/admin", phone: true }, { path: "/admin/flags" }],
};

// The screenshot stylesheet (stylePath) is injected into the page, and the app's Content-Security-Policy refuses
// an injected style without its nonce: without this, clocks and live state would stay in the images.
test.use({ bypassCSP: true });

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

for (const viewer of Object.keys(PAGES) as Viewer[]) {
  test.describe(`as ${viewer}`, () => {
    if (viewer !== "visitor") test.use({ storageState: authFile(viewer) });

    for (const { path, phone } of PAGES[viewer]) {
      for (const device of phone ? (["desktop", "phone"] as const) : (["desktop"] as const)) {
        for (const theme of ["light", "dark"] as const) {
          test(`${path} on a ${device}, ${theme}`, async ({ page }) => {
            await page.setViewportSize(VIEWPORTS[device]);
            await page.emulateMedia({ colorScheme: theme, reducedMotion: "reduce" });
            await page.goto(path);
            await page.locator("main").waitFor();
            await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
            const name = `${viewer}${path === "/" ? "-home" : path.replaceAll("/", "-")}-${device}-${theme}.png`;
            await expect(page).toHaveScreenshot(name, { fullPage: true, stylePath: "e2e/quality/screenshot.css", animations: "disabled", maxDiffPixelRatio: 0.002 });
          });
        }
      }
    }
  });
}
