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
  await expect(page).toHaveURL(/\/projects$/);
}
