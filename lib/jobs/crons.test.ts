import * as Sentry from "@sentry/nextjs";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sentryOptions } from "@/lib/observability";
import { startFakeSentry } from "@/test/fixtures/fake-sentry";
import type { JobDefinition } from "./define";
import { findJob } from "./registry";
import { runJob } from "./runner";

// The runner's Sentry Crons wiring, proven with the real SDK pointed by DSN at a fake ingest on 127.0.0.1.
const SECRET = vi.hoisted(() => {
  process.env.CRON_SECRET = "test-cron-secret-1234567890";
  return "test-cron-secret-1234567890";
});

let fake: Awaited<ReturnType<typeof startFakeSentry>>;

beforeAll(async () => {
  fake = await startFakeSentry();
  Sentry.init({ ...sentryOptions(fake.dsn, { environment: "test", release: "test-release" }), defaultIntegrations: false });
});

afterAll(async () => {
  await Sentry.close(2000);
  await fake.close();
});

function job(name: string): JobDefinition {
  const found = findJob(name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

const checkInsOf = (slug: string) => fake.checkIns().filter((c) => c.monitor_slug === slug);

describe("Sentry Crons check-ins from the job runner", () => {
  it("the cron route's run checks in (in progress, then ok) under the job's name and schedule, sent before the route answers", async () => {
    const { GET } = await import("@/app/api/cron/[job]/route");
    const name = "notification_delivery";
    const before = checkInsOf(name).length;
    const response = await GET(new NextRequest(`http://localhost/api/cron/${name}`, { headers: { authorization: `Bearer ${SECRET}` } }), { params: Promise.resolve({ job: name }) });
    expect(response.status).toBe(200);
    // No flush here: the route flushed before it answered, so both check-ins have already arrived.
    const sent = checkInsOf(name).slice(before);
    expect(sent.map((c) => c.status)).toEqual(["in_progress", "ok"]);
    expect(sent[0]!.monitor_config).toMatchObject({ schedule: { type: "crontab", value: job(name).schedule }, timezone: "Etc/UTC" });
    expect(sent[1]!.check_in_id).toBe(sent[0]!.check_in_id);
    expect(sent[1]!.duration).toEqual(expect.any(Number));
  });

  it("a failed run is an error check-in, though the runner throws nothing", async () => {
    const failing: JobDefinition = {
      ...job("trash_purge"),
      run: async () => {
        throw new Error("job broke for the Crons test");
      },
    };
    const before = checkInsOf(failing.name).length;
    const run = await runJob(failing, { trigger: "cron" });
    expect(run.status).toBe("failed");
    await Sentry.flush(2000);
    expect(checkInsOf(failing.name).slice(before).map((c) => c.status)).toEqual(["in_progress", "error"]);
  });

  it("a manual run does not check in: it would hide a missed schedule", async () => {
    const before = fake.checkIns().length;
    await runJob(job("notification_delivery"), { trigger: "manual" });
    await Sentry.flush(2000);
    expect(fake.checkIns()).toHaveLength(before);
  });
});
