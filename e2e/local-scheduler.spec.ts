import { expect, test } from "@playwright/test";
import { startLocalScheduler } from "../scripts/lib/local-scheduler";
import { authFile } from "./helpers";

test.use({ storageState: authFile("admin") });

/**
 * The scheduler `npm run dev` runs, against the production build: it calls
 * the real cron route with the real secret when a job's schedule comes
 * round, and /admin/jobs shows the run as started by the local scheduler.
 * Its clock runs sixty times fast, from two minutes before notification
 * delivery's next turn (every ten minutes), so the schedule comes round in
 * about two seconds instead of up to ten minutes.
 */
test("the local scheduler runs a job through its cron route when the schedule comes round", async ({ page, baseURL }) => {
  const simulatedStart = Date.UTC(2030, 0, 7, 12, 8, 0);
  const realStart = Date.now();
  const scheduler = startLocalScheduler({
    baseUrl: baseURL!,
    cronSecret: process.env.CRON_SECRET ?? "test-cron-secret",
    jobs: [
      { name: "notification_delivery", schedule: "*/10 * * * *" },
      { name: "trash_purge", schedule: "15 3 * * *" },
    ],
    clock: () => new Date(simulatedStart + (Date.now() - realStart) * 60),
    tickMs: 100,
  });
  try {
    await expect
      .poll(() => scheduler.fired.map((f) => `${f.job} ${f.minute} ${f.status}`), { timeout: 30_000 })
      .toContain("notification_delivery 2030-01-07T12:10:00.000Z 200");
  } finally {
    await scheduler.stop();
  }
  // Only what was due: trash purge's 03:15 never came round.
  expect(scheduler.fired.map((f) => f.job)).not.toContain("trash_purge");

  await page.goto("/admin/jobs");
  await expect(page.getByTestId("scheduled-by")).toContainText("Runs on schedule by local scheduler");
  await expect(page.getByRole("row").filter({ hasText: "local scheduler" }).filter({ hasText: "notification_delivery" }).first()).toBeVisible();
});

test("without the secret the scheduler's calls are refused and nothing runs", async ({ baseURL }) => {
  const realStart = Date.now();
  const scheduler = startLocalScheduler({
    baseUrl: baseURL!,
    cronSecret: "not-the-secret-at-all",
    jobs: [{ name: "notification_delivery", schedule: "* * * * *" }],
    clock: () => new Date(Date.UTC(2030, 0, 7, 12, 8, 59) + (Date.now() - realStart) * 60),
    tickMs: 100,
  });
  try {
    await expect.poll(() => scheduler.fired.map((f) => f.status), { timeout: 30_000 }).toContain(401);
  } finally {
    await scheduler.stop();
  }
});
