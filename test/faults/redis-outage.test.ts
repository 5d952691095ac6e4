/**
 * The Upstash path under faults, on the production build with two instances:
 * rate limits and shared breaker state go through an Upstash REST stand-in in
 * front of a redis-server of this file's own. With Redis hung (SIGSTOP behind
 * the REST endpoint) and then refused (the endpoint gone), each policy does
 * what it declares: sign-in fails closed and says the limiter is why; problem
 * reports fail open; an export's own limit fails open, but the password check
 * it requires has its own budget (`reauth`), which fails closed, so an export
 * is refused, saying the limiter is why. No request hangs. See ./harness.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOwnRedis } from "@/test/fixtures/redis";
import { startUpstashRestServer } from "@/test/fixtures/upstash-rest-server";
import {
  actionCode,
  callAction,
  faultsEnabled,
  serverActionId,
  startWorld,
  timed,
  type FaultsWorld,
  type Instance,
  type Timed,
} from "./harness";

const PASSWORD = "faults-redis-password";
const TOKEN = "faults-upstash-token";
/** The limiter waits 200 ms for its store; nothing should take anywhere near this long. */
const ANSWER_WITHIN_MS = 3_000;

describe.skipIf(!faultsEnabled)("Redis hung and refused on the Upstash path (production build, two instances)", () => {
  let world: FaultsWorld;
  let instances: Instance[] = [];
  let redis: NonNullable<Awaited<ReturnType<typeof startOwnRedis>>>;
  let upstash: Awaited<ReturnType<typeof startUpstashRestServer>>;
  let email: string;
  const cookies = new Map<Instance, string>();
  let requestExport: string;
  let signInRefusalMessage: (code: string | undefined) => string;

  beforeAll(async () => {
    world = await startWorld({
      password: PASSWORD,
      prepare: async ({ createUser, onStop }) => {
        const started = await startOwnRedis();
        if (!started) throw new Error("redis-server is not installed (scripts/system-deps.sh)");
        redis = started;
        onStop(() => redis.stop());
        onStop(() => redis.process.kill("SIGCONT"));
        upstash = await startUpstashRestServer({ redisPort: redis.port, token: TOKEN });
        onStop(() => upstash.close());
        email = (await createUser()).email;
        // Production's 200 ms limiter timeout: the point is that it holds under a hung store.
        return { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: TOKEN, RATE_LIMIT_TIMEOUT_MS: "200" };
      },
    });
    ({ instances } = world);
    ({ signInRefusalMessage } = await import("@/lib/auth/constants"));
    for (const instance of instances) cookies.set(instance, await world.signIn(instance, email));
    requestExport = serverActionId("app/account/data/actions.ts", "requestExport");
  }, 120_000);

  // The instances stop before the Upstash stand-in and Redis (cleanups run last-registered first).
  afterAll(() => world?.stop());

  /** One sign-in through Auth.js's credentials endpoint, as the sign-in form posts it. */
  async function signInOutcome(instance: Instance): Promise<Timed> {
    const csrf = await fetch(`${instance.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    return timed(`${instance.url}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ email, password: PASSWORD, csrfToken, callbackUrl: `${instance.url}/projects` }),
    });
  }

  function reportProblem(instance: Instance): Promise<Timed> {
    return timed(`${instance.url}/api/reports`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: instance.url, cookie: cookies.get(instance)! },
      body: JSON.stringify({ description: "Written while Redis is out", context: {} }),
    });
  }

  async function underFault(fault: string) {
    const figures: string[] = [];
    for (const instance of instances) {
      const [signIn, report, exported] = await Promise.all([
        signInOutcome(instance),
        reportProblem(instance),
        callAction(instance, "/account/data", requestExport, [{ format: "json", password: PASSWORD }], cookies.get(instance)!),
      ]);
      figures.push(`${instance.url}: sign-in ${signIn.ms} ms, problem report ${report.ms} ms, export ${exported.ms} ms`);
      for (const answer of [signIn, report, exported]) expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
      // Sign-in fails closed, and says the limiter is why (not "Email or password is incorrect").
      const code = refusalCode(signIn);
      expect(code).toMatch(/^limiter_unavailable/);
      expect(signInRefusalMessage(code)).toContain("We can't check sign-ins safely right now");
      // A problem report (report_problem: fail open) goes through.
      expect(report.status, report.body).toBe(200);
      // An export: refused by its password check's budget, which fails closed, and the refusal says why.
      expect(actionCode(exported.body), exported.body).toBe("rate_limited");
      expect(exported.body).toContain("We can't check this safely right now");
      expect(exported.body).not.toContain("wrong password");
    }
    console.log(`Redis ${fault}: ${figures.join("; ")}`);
  }

  it("healthy: sign-in, a problem report and an export work through the Upstash stand-in", async () => {
    for (const instance of instances) {
      const signIn = await signInOutcome(instance);
      expect(signIn.location).toBeTruthy();
      expect(refusalCode(signIn)).toBeUndefined();
      expect((await reportProblem(instance)).status).toBe(200);
    }
    const exported = await callAction(instances[0]!, "/account/data", requestExport, [{ format: "json", password: PASSWORD }], cookies.get(instances[0]!)!);
    expect(actionCode(exported.body), exported.body).toBe("ok");
  });

  it("Redis hung: sign-in and exports refused saying the limiter is why, problem reports allowed, nothing hangs", async () => {
    redis.process.kill("SIGSTOP");
    try {
      await underFault("hung");
    } finally {
      redis.process.kill("SIGCONT");
    }
  }, 60_000);

  it("Redis refused: sign-in and exports refused saying the limiter is why, problem reports allowed, nothing hangs", async () => {
    await upstash.close();
    await underFault("refused");
  }, 60_000);
});

/** Auth.js answers a refused credentials sign-in with a redirect carrying `code`; a successful one redirects without it. */
function refusalCode(answer: Timed): string | undefined {
  if (!answer.location) return undefined;
  return new URL(answer.location, "http://localhost").searchParams.get("code") ?? undefined;
}
