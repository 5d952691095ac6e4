import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { authFile, demo, signIn, signUp, unique } from "./helpers";

/**
 * An attacker's site on another port of 127.0.0.1: same site as the app (a
 * port is not part of a site), so the browser sends SameSite=Lax cookies
 * along with its requests. Each journey serves its own page from it.
 * Runs on its own (playwright.config.ts GLOBAL_STATE_SPECS): before the
 * same-origin rule the CSRF journey really did flip a kill switch.
 */
const pages = new Map<string, string>();
let server: http.Server;
let attacker = "";

test.beforeAll(async () => {
  server = http.createServer((request, response) => {
    const html = pages.get(new URL(request.url ?? "/", "http://x").pathname);
    response.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    response.end(html ?? "<h1>evil landing</h1>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  attacker = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const SWITCH = "job_trash_purge";

async function switchIsOn(context: BrowserContext, app: string): Promise<boolean> {
  const state = (await (await context.request.get(`${app}/admin/flags/state`)).json()) as { paused: string[] };
  return !state.paused.includes(SWITCH);
}

async function adminContext(browser: Browser) {
  return browser.newContext({ storageState: authFile("admin") });
}

test("a cross-port form post cannot turn a kill switch off with the admin's session", async ({ browser, baseURL }) => {
  const context = await adminContext(browser);
  const page = await context.newPage();
  try {
    expect(await switchIsOn(context, baseURL!)).toBe(true);
    // enctype=text/plain lets a plain HTML form send a JSON-looking body: name + "=" + value.
    const body = `{"key":"${SWITCH}","on":false,"reason":"cross-site request forgery","pad":"`;
    pages.set(
      "/csrf",
      `<form id="f" method="post" enctype="text/plain" action="${baseURL}/admin/flags/kill-switches"><input type="hidden" name='${body}' value='"}'></form>
       <script>document.getElementById("f").submit()</script>`,
    );
    const response = page.waitForResponse((r) => r.url() === `${baseURL}/admin/flags/kill-switches`);
    await page.goto(`${attacker}/csrf`);
    expect((await response).status()).toBeGreaterThanOrEqual(400);
    expect(await switchIsOn(context, baseURL!)).toBe(true);

    // JSON with a foreign Origin (what a non-browser client forging a cross-site call looks like) is refused too.
    const forged = await context.request.post(`${baseURL}/admin/flags/kill-switches`, {
      headers: { origin: attacker, "content-type": "application/json" },
      data: { key: SWITCH, on: false, reason: "cross-site request forgery" },
    });
    expect(forged.status()).toBe(403);
    expect(await switchIsOn(context, baseURL!)).toBe(true);
  } finally {
    // Leave the switch on whatever happened, so no other journey sees it off.
    if (!(await switchIsOn(context, baseURL!))) {
      await context.request.post(`${baseURL}/admin/flags/kill-switches`, { headers: { origin: baseURL! }, data: { key: SWITCH, on: true, reason: "security spec cleanup" } });
    }
    await context.close();
  }
});

test("the admin kill-switch panel refuses to render inside another site's frame", async ({ browser, baseURL }) => {
  const context = await adminContext(browser);
  const page = await context.newPage();
  try {
    // The same page, framed by nobody, renders for this admin (so a blank frame below is the headers' doing).
    await page.goto(`${baseURL}/admin/flags`);
    await expect(page.getByRole("heading", { name: "Kill switches", exact: true })).toBeVisible();

    pages.set("/frame", `<h1>Win a prize</h1><iframe id="victim" src="${baseURL}/admin/flags" width="800" height="600"></iframe>`);
    await page.goto(`${attacker}/frame`, { waitUntil: "load" });
    await expect(page.getByRole("heading", { name: "Win a prize" })).toBeVisible();
    const framed = page.frameLocator("#victim");
    await page.waitForTimeout(500);
    await expect(framed.getByRole("heading", { name: "Kill switches", exact: true })).toHaveCount(0);
    await expect(framed.getByRole("button", { name: /Turn (off|on)/ })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

/** Known ways to smuggle another origin past a naive "starts with /" check. */
function bypasses(evilHost: string): string[] {
  return [
    `//${evilHost}/`,
    `/\\${evilHost}/`,
    `/%5C${evilHost}/`,
    `/%5c${evilHost}/`,
    `/%2F${evilHost}/`,
    `/\t/${evilHost}/`,
    `/%09/${evilHost}/`,
    `/\n/${evilHost}/`,
    `/%0A/${evilHost}/`,
    `\\\\${evilHost}/`,
    `/\\/${evilHost}/`,
    `/%252F%252F${evilHost}/`,
    `http://${evilHost}/`,
    `https:${evilHost}/`,
    `http:/\\${evilHost}/`,
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    `/${"\u3002"}${evilHost}`,
  ];
}

test("sign-in sends a signed-in user only to this app's own paths", async ({ browser, baseURL }) => {
  // One navigation per known bypass: give the list room on a slow machine.
  test.setTimeout(120_000);
  const evilHost = new URL(attacker).host;
  const context = await browser.newContext({ storageState: authFile("user") });
  const page = await context.newPage();
  const app = new URL(baseURL!).origin;
  let dialogs = 0;
  page.on("dialog", (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  try {
    for (const target of bypasses(evilHost)) {
      await page.goto(`${baseURL}/sign-in?next=${encodeURIComponent(target)}`);
      await page.waitForLoadState("load");
      expect(new URL(page.url()).origin, `next=${JSON.stringify(target)} left the app`).toBe(app);
    }
    // A same-app path is still honoured.
    await page.goto(`${baseURL}/sign-in?next=${encodeURIComponent("/billing?tab=invoices")}`);
    await expect(page).toHaveURL(`${app}/billing?tab=invoices`);
    expect(dialogs).toBe(0);
  } finally {
    await context.close();
  }
});

test("the reported payload: signing in with next=/%5C<evil> lands on the app, not the other site", async ({ browser, baseURL }) => {
  const evilHost = new URL(attacker).host;
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  try {
    await page.goto(`${baseURL}/sign-in?next=/%5C${evilHost}`);
    await page.getByLabel("Email", { exact: true }).fill(demo.user);
    await page.getByLabel("Password", { exact: true }).fill("breakwater-demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await expect(page.getByText("evil landing")).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("a session cookie copied before sign-out no longer works after it", async ({ browser, baseURL }) => {
  const victim = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await victim.newPage();
  try {
    await signUp(page, "Copied Cookie", `${unique("copied")}@example.test`);
    const stolen = (await victim.cookies()).filter((c) => c.name.includes("session-token"));
    expect(stolen.length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/(sign-in)?(\?.*)?$/);

    const thief = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    try {
      await thief.addCookies(stolen);
      const session = await thief.request.get(`${baseURL}/api/auth/session`);
      expect(await session.json()).toBeNull();
      const stolenPage = await thief.newPage();
      await stolenPage.goto(`${baseURL}/projects`);
      await expect(stolenPage).toHaveURL(/\/sign-in/);
    } finally {
      await thief.close();
    }
  } finally {
    await victim.close();
  }
});

test("sign out everywhere ends the other browser's session too", async ({ browser, baseURL }) => {
  const email = `${unique("everywhere")}@example.test`;
  const laptop = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const phone = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const laptopPage = await laptop.newPage();
    await signUp(laptopPage, "Two Devices", email);
    const phonePage = await phone.newPage();
    await signIn(phonePage, email);
    await laptopPage.goto(`${baseURL}/account`);
    await laptopPage.getByRole("button", { name: "Sign out everywhere", exact: true }).click();
    await expect(laptopPage).toHaveURL(/\/sign-in/);
    await phonePage.goto(`${baseURL}/projects`);
    await expect(phonePage).toHaveURL(/\/sign-in/);
  } finally {
    await laptop.close();
    await phone.close();
  }
});

test("pages run under the Content-Security-Policy: every response carries it, and nothing is refused", async ({ browser, baseURL }) => {
  const context = await adminContext(browser);
  const page = await context.newPage();
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  try {
    // The status page is a document of its own that runs no script: nothing but its stylesheet, allowed by hash.
    const status = await page.goto(`${baseURL}/status`);
    expect(status!.headers()["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; /);
    expect(status!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(status!.headers()).toMatchObject({ "x-frame-options": "DENY", "x-content-type-options": "nosniff" });
    await expect(page.getByRole("heading", { name: "Breakwater status" })).toBeVisible();
    expect(await page.locator("script").count()).toBe(0);
    // Styled: the stylesheet was applied, not refused (a card has its border).
    expect(await page.locator("[data-component]").first().evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe("solid");

    for (const path of ["/projects", "/billing", "/account", "/admin/flags", "/admin/audit"]) {
      const response = await page.goto(`${baseURL}${path}`);
      const headers = response!.headers();
      expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(headers).toMatchObject({ "x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin" });
      expect(headers["permissions-policy"]).toContain("camera=()");
    }
    // Hydrated and interactive under the policy: the report dialog opens (a client component).
    await page.getByRole("button", { name: "Report a problem" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    expect(violations).toEqual([]);
  } finally {
    await context.close();
  }
});
