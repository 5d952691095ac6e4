import "server-only";
import pino, { type DestinationStream, type LoggerOptions } from "pino";
import { env } from "@/lib/env";
import { scrub } from "./scrub";

/**
 * Keys whose values never reach a log line, at the top level and up to three
 * levels down (pino's redaction is by path; `**` is not supported, so the
 * depths are spelled out). Matches the keys lib/audit's `redact` removes.
 */
const SECRET_KEYS = [
  "password",
  "passwordHash",
  "newPassword",
  "currentPassword",
  "token",
  "accessToken",
  "refreshToken",
  "secret",
  "clientSecret",
  "apiKey",
  "authorization",
  "cookie",
  "dsn",
  "email",
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

export const loggerOptions: LoggerOptions = {
  level: env.logLevel,
  base: { service: "breakwater" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  hooks: {
    // Every argument of every call, before pino sees it: message strings and interpolated values too, and errors
    // (turned into scrubbed data here, since pino would otherwise serialise their message and stack as they are).
    logMethod(args, method) {
      return method.apply(this, args.map((arg) => scrub(arg)) as Parameters<typeof method>);
    },
  },
};

/**
 * Structured JSON logs: one line per event with level, time, request id,
 * user id, action and outcome (the guarded path logs every action this way).
 * Secrets are removed before the line is written: by key, and by shape
 * (emails, password hashes, tokens) in any value or message (./scrub.ts).
 */
export function createLogger(destination?: DestinationStream, options: Partial<LoggerOptions> = {}) {
  const merged = { ...loggerOptions, ...options };
  return destination ? pino(merged, destination) : pino(merged);
}

export const logger = createLogger();
export type Logger = typeof logger;
