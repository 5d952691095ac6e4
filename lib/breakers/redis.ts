import "server-only";
import { Redis } from "@upstash/redis";
import { env } from "@/lib/env";

let client: Redis | null | undefined;

/** The shared Upstash client, or null when Redis is not configured (Postgres is used instead). */
export function sharedRedis(): Redis | null {
  if (client === undefined) {
    client =
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, retry: false, enableTelemetry: false })
        : null;
  }
  return client;
}

/** Rejects after `ms`: a store call must never hold a request for long. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
