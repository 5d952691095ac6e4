import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, demo, signIn, signUp, unique } from "./helpers";

// These journeys start signed out and sign in by themselves.
test.describe("authentication", () => {
  test("sign up asks to confirm the address, then signs in to /projects", async ({ page }) => {
    const email = `${unique("signup")}@example.test`;
    await signUp(page, "New Person", email);
    await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  });

  test("sign in with the demo user lands on /projects", async ({ page }) => {
    await signIn(page, demo.user);
    await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Projects", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Billing", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Account", exact: true })).toBeVisible();
  });

  test("wrong password is refused with an alert", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email", { exact: true }).fill(demo.user);
    await page.getByLabel("Password", { exact: true }).fill(`${DEMO_PASSWORD}-wrong`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("sign out ends the session", async ({ page }) => {
    // A fresh account, so signing out cannot touch the saved demo sessions.
    await signUp(page, "Leaving Person", `${unique("signout")}@example.test`);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/(sign-in)?(\?.*)?$/);
    await page.goto("/projects");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});
