import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { demo, signIn, unique } from "./helpers";

const REPORT = { name: "Report a problem", exact: true } as const;

function reportDialog(page: Page) {
  return page.getByRole("dialog", { name: "Report a problem" });
}

async function openReport(page: Page) {
  await page.getByRole("button", REPORT).click();
  const dialog = reportDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Sends the open dialog's report and returns the reference number it shows. */
async function send(page: Page): Promise<string> {
  const dialog = reportDialog(page);
  await dialog.getByRole("button", { name: "Send report", exact: true }).click();
  const reference = dialog.getByTestId("report-reference");
  await expect(reference).toHaveText(/^BW-[0-9A-Z]{8}$/);
  return (await reference.textContent())!;
}

/**
 * Signed-out reports are limited per client address (5 per 10 minutes). Give each
 * signed-out test its own address so reruns and retries don't share one bucket.
 */
async function freshAddress(page: Page) {
  const octet = () => Math.floor(Math.random() * 254) + 1;
  await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.${octet()}.${octet()}.${octet()}` });
}

/**
 * A fresh signed-in browser context. Signing in here rather than loading the shared
 * e2e/.auth state keeps this spec independent of whichever run wrote those files last.
 */
async function signedIn(browser: Browser, role: "user" | "admin") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, demo[role]);
  return { context, page };
}

/** Opens a report in the admin inbox by its reference. */
async function openInInbox(browser: Browser, reference: string) {
  const { context, page } = await signedIn(browser, "admin");
  await page.goto(`/admin/reports?q=${encodeURIComponent(reference)}`);
  await page.getByRole("link", { name: reference, exact: true }).click();
  await expect(page.getByRole("heading", { name: `Report ${reference}` })).toBeVisible();
  return { page, context };
}

test("a signed-out visitor reports a problem: labelled fields, clear errors, the context shown, a reference number", async ({ page }) => {
  await freshAddress(page);
  // The status page runs no script: its "Report a problem" link opens the dialog on a page of the app, saying where from.
  await page.goto("/status");
  await page.getByRole("link", { name: "Report a problem", exact: true }).click();
  await expect(page).toHaveURL(/\/report\?from=%2Fstatus$/);
  const dialog = reportDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("What went wrong?")).toBeFocused();
  // The context that will be sent is shown before sending.
  const sent = dialog.getByRole("definition");
  await expect(dialog.getByText("Not signed in", { exact: true })).toBeVisible();
  await expect(sent.filter({ hasText: /\/report\?from=%2Fstatus$/ }).first()).toBeVisible();
  await expect(dialog.getByText(/^Mozilla\//)).toBeVisible();

  // Nothing typed: a clear error beside the field.
  await dialog.getByRole("button", { name: "Send report", exact: true }).click();
  await expect(dialog.getByText("Describe what went wrong.", { exact: true })).toBeVisible();
  await dialog.getByLabel("What went wrong?").fill("The status page shows nothing");
  await dialog.getByLabel("Your email").fill("not-an-email");
  await dialog.getByRole("button", { name: "Send report", exact: true }).click();
  await expect(dialog.getByText("Enter a valid email address.", { exact: true })).toBeVisible();
  await expect(dialog.getByLabel("Your email")).toHaveAttribute("aria-invalid", "true");

  await dialog.getByLabel("Your email").fill(`${unique("visitor")}@example.test`);
  await send(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", REPORT)).toBeFocused();
});

test("the dialog keeps focus inside and Escape closes it", async ({ page }) => {
  await page.goto("/");
  const dialog = await openReport(page);
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Shift+Tab");
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
});

test.describe("a signed-in user", () => {
  test("reports without typing an email; the report carries their user id", async ({ browser }) => {
    const { page, context: userContext } = await signedIn(browser, "user");
    await page.goto("/projects");
    const dialog = await openReport(page);
    await expect(dialog.getByLabel("Your email")).toHaveCount(0);
    await expect(dialog.getByText("Not signed in", { exact: true })).toHaveCount(0);
    await dialog.getByLabel("What went wrong?").fill("Creating a project spins forever");
    const reference = await send(page);

    const { page: admin, context } = await openInInbox(browser, reference);
    await expect(admin.getByText("user@breakwater.test (user, active)")).toBeVisible();
    await expect(admin.getByRole("link", { name: "View user read-only" })).toHaveAttribute("href", /^\/admin\/users\/[0-9a-f-]{36}$/);
    await expect(admin.getByText(/\/projects$/).first()).toBeVisible();
    await context.close();
    await userContext.close();
  });
});

test("a report from a crashed page carries that error's id", async ({ page, browser }) => {
  await freshAddress(page);
  await page.goto("/debug/crash");
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
  // The digest shows first; the page then works out the id the server reported the crash under (e2e/sentry-error-id.spec.ts).
  await expect(page.getByTestId("error-id")).toHaveText(/^[0-9a-f]{32}$/);
  const errorId = (await page.getByTestId("error-id").textContent())!.trim();
  // The error page's own button opens the same dialog, pre-filled with the error id.
  await page.getByRole("button", { name: "Report this problem", exact: true }).click();
  const dialog = reportDialog(page);
  await expect(dialog.getByTestId("report-error-ids")).toContainText(errorId);
  await dialog.getByLabel("What went wrong?").fill("The page crashed");
  await dialog.getByLabel("Your email").fill(`${unique("crash")}@example.test`);
  const reference = await send(page);

  const { page: admin, context } = await openInInbox(browser, reference);
  // The digest rides along (it is what the server's log line shows).
  await expect(admin.getByTestId("report-error-id")).toContainText([errorId]);
  await context.close();
});

test("staff see a report in the inbox with a script payload shown as text, and resolving it emails the reporter", async ({ page, browser }) => {
  const payload = `<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">`;
  const email = `${unique("xss")}@example.test`;
  await freshAddress(page);
  await page.goto("/");
  const dialog = await openReport(page);
  await dialog.getByLabel("What went wrong?").fill(payload);
  await dialog.getByLabel("Your email").fill(email);
  const reference = await send(page);

  const { page: admin, context } = await openInInbox(browser, reference);
  admin.on("dialog", () => {
    throw new Error("a dialog opened: the payload ran");
  });
  await expect(admin.getByTestId("report-description")).toHaveText(payload);
  await expect(admin.locator("[data-testid=report-description] script, [data-testid=report-description] img")).toHaveCount(0);
  expect(await admin.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();

  // The inbox lists it as new; filtering by status finds it.
  await admin.goto(`/admin/reports?status=new&q=${encodeURIComponent(reference)}`);
  await expect(admin.getByRole("link", { name: reference, exact: true })).toBeVisible();
  await expect(admin.getByRole("cell", { name: payload.slice(0, 40) })).toBeVisible();
  await admin.getByRole("link", { name: reference, exact: true }).click();

  await admin.getByLabel("Status", { exact: true }).selectOption("resolved");
  await admin.getByRole("button", { name: "Save status", exact: true }).click();
  await expect(admin.getByText("Saved. The reporter has been emailed.")).toBeVisible();
  await admin.goto(`/admin/reports?status=resolved&q=${encodeURIComponent(reference)}`);
  await expect(admin.getByRole("link", { name: reference, exact: true })).toBeVisible();
  await admin.goto("/admin/outbox");
  await expect(admin.getByText(`Your problem report ${reference} is resolved`)).toBeVisible();
  await context.close();
});

test("the report endpoint reads only JSON bodies, so another site's form can't post to it", async ({ request }) => {
  const response = await request.post("/api/reports", {
    headers: { "content-type": "text/plain", "x-forwarded-for": "10.255.0.1" },
    data: JSON.stringify({ description: "from a cross-site form", email: "a@example.test" }),
  });
  expect(response.status()).toBe(415);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
});

/**
 * Every page route of the build, from Next's app-paths manifest (so a new
 * page is walked without editing this list). Route groups are dropped and a
 * dynamic segment gets a placeholder id (which lands on not-found: also a page).
 * Next's own `/_global-error` entry is not a URL anyone visits; app/global-error.tsx
 * renders its own button (components/report-problem/error-pages.test.ts renders it).
 */
function appRoutes(): string[] {
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  const manifest = path.join(distDir, "server", "app-paths-manifest.json");
  if (!fs.existsSync(manifest)) throw new Error(`${manifest} is missing: run next build first`);
  const entries = Object.keys(JSON.parse(fs.readFileSync(manifest, "utf8")) as Record<string, string>);
  const routes = entries
    .filter((entry) => entry.endsWith("/page") && entry !== "/_global-error/page")
    .map((entry) =>
      entry
        .replace(/\/page$/, "")
        .split("/")
        .filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith("@"))
        .map((segment) => (/^\[.*\]$/.test(segment) ? "00000000-0000-4000-8000-000000000000" : segment))
        .join("/"),
    )
    .map((route) => route || "/");
  return [...new Set([...routes, "/this-page-does-not-exist"])].sort();
}

for (const role of ["anonymous", "user", "admin"] as const) {
  test(`the report button is on every route (${role})`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page } = role === "anonymous" ? await browser.newContext().then(async (c) => ({ context: c, page: await c.newPage() })) : await signedIn(browser, role);
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const route of routes) {
      await page.goto(route);
      const button = page.getByRole("button", REPORT);
      if (!(await button.isVisible().catch(() => false))) {
        await button.waitFor({ state: "visible", timeout: 5000 }).catch(() => missing.push(`${route} (ended at ${new URL(page.url()).pathname})`));
      }
    }
    expect(missing, "routes without a Report a problem button").toEqual([]);
    // Still signed in at the end, so the signed-in pages really were walked.
    if (role !== "anonymous") {
      await page.goto("/projects");
      await expect(page.getByText(demo[role], { exact: true })).toBeVisible();
    }
    await context.close();
  });
}
