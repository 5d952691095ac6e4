import { expect, test } from "@playwright/test";
import { authFile, latestEmail, linkIn, signIn, signUp, unique } from "./helpers";

// A person who signed up, confirmed their address and then forgot their password gets back in from the emailed links alone.
test("confirm the address and reset a forgotten password from the emailed links; the reset signs out every session", async ({ browser }) => {
  // Two devices, two emails and four sign-ins: about 25 s on a loaded 2-core machine, too close to the default 30.
  test.setTimeout(60_000);
  const email = `${unique("reset")}@example.test`;
  const firstPassword = "first-password-1";
  const newPassword = "second-password-2";

  // Device A: signs up (and stays signed in).
  const deviceA = await browser.newContext();
  const pageA = await deviceA.newPage();
  await signUp(pageA, "Resetting Person", email, firstPassword);

  const adminContext = await browser.newContext({ storageState: authFile("admin") });
  const admin = await adminContext.newPage();

  // The confirmation link from the sign-up email.
  const confirmation = await latestEmail(admin, email, "Confirm your email address");
  await pageA.goto(linkIn(confirmation, "/verify-email"));
  await pageA.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(pageA.getByRole("status").filter({ hasText: "your email address is confirmed" })).toBeVisible();
  await pageA.goto("/account");
  await expect(pageA.getByText("(confirmed)")).toBeVisible();

  // Device B: forgot the password.
  const deviceB = await browser.newContext();
  const pageB = await deviceB.newPage();
  await pageB.setExtraHTTPHeaders({ "X-Forwarded-For": `203.0.113.${Math.floor(Math.random() * 254) + 1}` });
  await pageB.goto("/sign-in");
  await pageB.getByRole("link", { name: "Forgot your password?" }).click();
  // The sign-in page has an Email field too: wait for the navigation, or the fill lands on the page being left.
  await expect(pageB.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
  await pageB.getByLabel("Email", { exact: true }).fill(email);
  await pageB.getByRole("button", { name: "Email me a link" }).click();
  await expect(pageB.getByRole("status").filter({ hasText: "If an account uses this address" })).toBeVisible();

  const reset = await latestEmail(admin, email, "Reset your Breakwater password");
  const resetPath = linkIn(reset, "/reset-password");
  await pageB.goto(resetPath);
  await pageB.getByLabel("New password", { exact: true }).fill(newPassword);
  await pageB.getByRole("button", { name: "Set new password" }).click();
  await expect(pageB.getByRole("status").filter({ hasText: "Your password is changed" })).toBeVisible();
  await expect((await latestEmail(admin, email, "Your Breakwater password was changed")).length).toBeGreaterThan(0);

  // The link works once.
  await pageB.goto(resetPath);
  await pageB.getByLabel("New password", { exact: true }).fill("third-password-3");
  await pageB.getByRole("button", { name: "Set new password" }).click();
  await expect(pageB.getByRole("alert").filter({ hasText: "expired or was already used" })).toBeVisible();

  // Device A's session ended with the reset.
  await pageA.goto("/projects");
  await expect(pageA).toHaveURL(/\/sign-in/);

  // The old password no longer works; the new one does.
  await pageB.goto("/sign-in");
  await pageB.getByLabel("Email", { exact: true }).fill(email);
  await pageB.getByLabel("Password", { exact: true }).fill(firstPassword);
  await pageB.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(pageB.getByRole("alert").filter({ hasText: "incorrect" })).toBeVisible();
  await signIn(pageB, email, newPassword);

  await Promise.all([deviceA.close(), deviceB.close(), adminContext.close()]);
});
