import "server-only";
import { z } from "zod";
import { hasPermission } from "@/lib/auth";
import { env } from "@/lib/env";
import { defineQuery } from "@/lib/procedures";
import { fakeCallCount, savedFaults } from "@/lib/providers";
import { limiterUnavailableTotals } from "@/lib/ratelimit";
import { loadRunbooks, runbookFor } from "@/lib/runbooks";
import { breakerOverview } from "./index";

const FAKE_PROVIDERS = ["payments", "email"] as const;

/** The breakers page: every breaker's shared state and history, limiter outages, and (outside production) the fault panel. */
export const breakersOverview = defineQuery({
  name: "breakers.overview",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const canWrite = hasPermission(user.role, "admin:write");
    const [breakers, limiter, runbooks] = await Promise.all([breakerOverview(), limiterUnavailableTotals(), loadRunbooks()]);
    // Fault injection drives the fake providers only: there is nothing to inject into in production.
    const faultPanel =
      canWrite && env.appEnv !== "production"
        ? await Promise.all(
            FAKE_PROVIDERS.map(async (provider) => ({ provider, calls: await fakeCallCount(provider), faults: await savedFaults(db, provider) })),
          )
        : null;
    return {
      canWrite,
      breakers: breakers.map((b) => {
        const runbook = runbookFor(runbooks, "breakers", b.name);
        return { ...b, runbook: runbook && { slug: runbook.slug, title: runbook.title } };
      }),
      limiter,
      faultPanel,
    };
  },
});
