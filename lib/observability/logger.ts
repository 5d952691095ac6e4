import pino, { type DestinationStream, type LoggerOptions } from "pino";

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
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

export const loggerOptions: LoggerOptions = {
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "breakwater" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: { paths: REDACT_PATHS, censor: "[redacted]" },
};

/**
 * Structured JSON logs: one line per event with level, time, request id,
 * user id, action and outcome (the guarded path logs every action this way).
 * Secrets are removed by key before the line is written.
 */
export function createLogger(destination?: DestinationStream, options: Partial<LoggerOptions> = {}) {
  const merged = { ...loggerOptions, ...options };
  return destination ? pino(merged, destination) : pino(merged);
}

export const logger = createLogger();
export type Logger = typeof logger;
