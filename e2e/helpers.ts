import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "breakwater-demo";

export const demo = {
  user: "user@breakwater.test",
  support: "support@breakwater.test",
  admin: "admin@breakwater.test",
} as const;

export type Role = keyof typeof demo;

export const authFile = (role: Role) => `e2e/.auth/${role}.json`;

/** A value unique to this run and call, for emails and names. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/projects$/);
}

export async function signUp(page: Page, name: string, email: string, password = DEMO_PASSWORD) {
  // Sign-ups are rate-limited per IP; give each journey its own (documentation-range) address.
  await page.setExtraHTTPHeaders({ "X-Forwarded-For": `203.0.113.${Math.floor(Math.random() * 254) + 1}` });
  await page.goto("/sign-up");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  // Sign-up answers the same for a new and a taken address (the email says which), then the new account signs in.
  await expect(page.getByRole("status").filter({ hasText: "Check your inbox" })).toBeVisible();
  await signIn(page, email, password);
}

/** The newest email to `to` whose subject contains `subject`, as the development outbox shows it to an admin. */
export async function latestEmail(admin: Page, to: string, subject: string): Promise<string> {
  await admin.goto("/admin/outbox");
  const item = admin.getByRole("listitem").filter({ hasText: to }).filter({ hasText: subject }).first();
  await expect(item).toBeVisible();
  return item.innerText();
}

/** The first link into this app in an email's text, as a path the test's base URL can open. */
export function linkIn(text: string, path: string): string {
  const link = text.split(/\s+/).find((word) => /^https?:\/\//.test(word) && new URL(word).pathname === path);
  if (!link) throw new Error(`no ${path} link in: ${text}`);
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

/** The e2e server's FLAGS_SECRET (playwright.config.ts): a test seals Flags Explorer overrides with it, as the toolbar does. */
export const E2E_FLAGS_SECRET = Buffer.alloc(32, 42).toString("base64url");
