/**
 * README screenshots of the key pages: light and dark, desktop (1280×800) and
 * phone (390×844), written to docs/screenshots/. Runs against a server that
 * is already up, with the demo data seeded:
 *
 *   npm run build && npm run db:migrate && npm run db:seed && npm start &
 *   npm run screenshots                       # or BASE_URL=http://127.0.0.1:3200 npm run screenshots
 *
 * ONLY=projects,status npm run screenshots   renders only the named shots.
 */
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "@playwright/test";

const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const OUT = "docs/screenshots";
const PASSWORD = "breakwater-demo";

type Shot = { name: string; path: string; as: "visitor" | "user" | "admin"; open?: (page: Page) => Promise<void> };

const SHOTS: Shot[] = [
  { name: "landing", path: "/", as: "visitor" },
  { name: "status", path: "/status", as: "visitor" },
  { name: "projects", path: "/projects", as: "user" },
  { name: "billing", path: "/billing", as: "user" },
  { name: "admin", path: "/admin", as: "admin" },
  { name: "admin-flags", path: "/admin/flags", as: "admin" },
  { name: "admin-jobs", path: "/admin/jobs", as: "admin" },
  // The phone menu, open.
  { name: "menu", path: "/projects", as: "user", open: async (page) => page.getByRole("button", { name: "Menu", exact: true }).click() },
];

const DEVICES = [
  { device: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false },
  { device: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

async function signedIn(browser: Browser, as: Shot["as"]): Promise<string | undefined> {
  if (as === "visitor") return undefined;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/sign-in`);
  await page.getByLabel("Email", { exact: true }).fill(`${as}@breakwater.test`);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/projects$/);
  const file = `.tmp/screenshots-${as}.json`;
  await context.storageState({ path: file });
  await context.close();
  return file;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  mkdirSync(".tmp", { recursive: true });
  const only = process.env.ONLY?.split(",");
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const states = new Map<Shot["as"], string | undefined>();
  for (const shot of SHOTS.filter((s) => !only || only.includes(s.name))) {
    if (!states.has(shot.as)) states.set(shot.as, await signedIn(browser, shot.as));
    for (const { device, viewport, isMobile } of DEVICES) {
      if (shot.name === "menu" && device !== "phone") continue;
      for (const colorScheme of ["light", "dark"] as const) {
        const context = await browser.newContext({ viewport, isMobile, hasTouch: isMobile, colorScheme, reducedMotion: "reduce", storageState: states.get(shot.as) });
        const page = await context.newPage();
        await page.goto(`${BASE_URL}${shot.path}`, { waitUntil: "networkidle" });
        await shot.open?.(page);
        await page.waitForTimeout(300);
        const file = `${OUT}/${shot.name}-${device}-${colorScheme}.png`;
        await page.screenshot({ path: file, fullPage: false, animations: "disabled" });
        console.log(file);
        await context.close();
      }
    }
  }
  await browser.close();
}

await main();
