import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { authFile, signUp, unique } from "./helpers";

// The same database the e2e server uses (playwright.config.ts refuses a non-local one).
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:55432/breakwater_e2e";

async function userIdFor(email: string): Promise<string> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ id: string }[]>`select id from users where lower(email) = ${email.toLowerCase()}`;
    if (!row) throw new Error(`no user ${email}`);
    return row.id;
  } finally {
    await sql.end();
  }
}

/** Pages of one path a support session was recorded viewing. */
async function pageViews(userId: string, path: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from audit_events where action = 'impersonation.page_view' and target_id = ${userId} and metadata->>'path' = ${path}`;
    return row?.n ?? 0;
  } finally {
    await sql.end();
  }
}

function readOnlyReason(page: Page) {
  return page.getByRole("note").filter({ hasText: "Read-only support session" });
}

test("support views an account read-only, write controls are disabled, and the user sees the visit with its reason", async ({ browser }) => {
  // Three browsers and a dozen pages: about 25 s on a loaded 2-core machine, too close to the default 30.
  test.setTimeout(60_000);
  // A fresh account with one project, so no other spec changes what we look at.
  const email = `${unique("viewed")}@example.test`;
  const project = unique("Viewed project");
  const reason = `TICKET-${Date.now()}: cannot find a project`;
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signUp(userPage, "Viewed Person", email);
  await userPage.getByLabel("Project name", { exact: true }).fill(project);
  await userPage.getByRole("button", { name: "Create project", exact: true }).click();
  await expect(userPage.getByRole("link", { name: project, exact: true })).toBeVisible();
  const userId = await userIdFor(email);

  const supportContext = await browser.newContext({ storageState: authFile("support") });
  const page = await supportContext.newPage();
  await page.goto(`/admin/users/${userId}`);
  await expect(page.getByRole("heading", { name: "Viewed Person", exact: true })).toBeVisible();
  // The reason is required: an empty one is refused by the form.
  await page.getByLabel("Reason (ticket reference)").fill(reason);
  await page.getByRole("button", { name: "View as user", exact: true }).click();
  await expect(page).toHaveURL(/\/projects$/);

  const banner = page.getByRole("region", { name: "Support session" });
  await expect(banner).toContainText(`Viewing as Viewed Person (${email})`);
  await expect(banner).toContainText("read-only");
  await expect(banner).toContainText("started by Sam Support");
  await expect(banner).toContainText(/ends in (29|30):\d\d/);
  await expect(page.getByRole("link", { name: project, exact: true })).toBeVisible();

  // The banner is on every page.
  for (const path of ["/billing", "/account", "/account/activity"]) {
    await page.goto(path);
    await expect(banner).toBeVisible();
  }

  // Page views are recorded by the server as it renders: a browser running no JavaScript is counted, once per page load.
  const noScript = await browser.newContext({ storageState: await supportContext.storageState(), javaScriptEnabled: false });
  const plain = await noScript.newPage();
  const before = await pageViews(userId, "/account/data");
  await plain.goto("/account/data");
  await plain.goto("/account/data");
  await expect(plain.getByRole("region", { name: "Support session" })).toBeVisible();
  expect(await pageViews(userId, "/account/data")).toBe(before + 2);
  await noScript.close();

  // Write controls are shown disabled, with the reason said on the page (the server refuses them anyway:
  // lib/impersonation/read-only.test.ts). Changing the plan:
  await page.goto("/billing");
  await expect(readOnlyReason(page)).toBeVisible();
  await expect(page.getByRole("button", { name: "Switch to Pro", exact: true })).toBeDisabled();
  await expect(page.getByText("Current plan: Free")).toBeVisible();

  // Deleting the project: its link still opens it, the button is disabled; it is still there.
  await page.goto("/projects");
  await page.getByRole("link", { name: project, exact: true }).click();
  await expect(page.getByRole("button", { name: "Delete project", exact: true })).toBeDisabled();
  await expect(readOnlyReason(page)).toBeVisible();
  await page.goto("/projects");
  await expect(page.getByRole("link", { name: project, exact: true })).toBeVisible();

  // Exporting the user's data: the password field and the button are disabled too.
  await page.goto("/account/data");
  await expect(page.getByLabel("Password", { exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Export my data", exact: true })).toBeDisabled();

  // Exit: back on the staff page, own session intact, banner gone.
  await banner.getByRole("button", { name: "Exit", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/users/${userId}$`));
  await expect(page.getByRole("heading", { name: "Viewed Person", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Support session" })).toHaveCount(0);
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Users", exact: true })).toBeVisible();

  // The user sees the visit, with the reason, and their plan is untouched.
  await userPage.goto("/account/activity");
  const visit = userPage.getByRole("listitem").filter({ hasText: "Support viewed your account" }).first();
  await expect(visit).toBeVisible();
  await expect(visit).toContainText(reason);
  await userPage.goto("/billing");
  await expect(userPage.getByText("Current plan: Free")).toBeVisible();

  await supportContext.close();
  await userContext.close();
});

test.describe("who can start", () => {
  test.use({ storageState: authFile("support") });

  test("support can't view an admin account, and a 10,000-character reason is refused", async ({ page }) => {
    const adminId = await userIdFor("admin@breakwater.test");
    await page.goto(`/admin/users/${adminId}`);
    await expect(page.getByText("This account can't be viewed as a user")).toBeVisible();
    await expect(page.getByRole("button", { name: "View as user", exact: true })).toHaveCount(0);

    // Refused before anything is written, so the shared demo user is safe to use here.
    await page.goto(`/admin/users/${await userIdFor("user@breakwater.test")}`);
    const reasonField = page.getByLabel("Reason (ticket reference)");
    // Bypass the input's maxLength as a crafted request would.
    await reasonField.evaluate((el) => el.removeAttribute("maxlength"));
    await reasonField.fill("x".repeat(10_000));
    await page.getByRole("button", { name: "View as user", exact: true }).click();
    await expect(page.getByText("Keep the reason under 500 characters.")).toBeVisible();
    await expect(page.getByRole("region", { name: "Support session" })).toHaveCount(0);
  });
});

test.describe("a plain user", () => {
  test.use({ storageState: authFile("user") });

  test("can't open the admin user page", async ({ page }) => {
    const supportId = await userIdFor("support@breakwater.test");
    const response = await page.goto(`/admin/users/${supportId}`);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Access denied", exact: true })).toBeVisible();
  });
});
