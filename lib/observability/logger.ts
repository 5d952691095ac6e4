import pino from "pino";

/**
 * Structured JSON logs: one line per event with level, time, request id,
 * user id, action and outcome. Secrets are removed by path before writing.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "breakwater" },
  redact: {
    paths: ["password", "*.password", "passwordHash", "*.passwordHash", "token", "*.token", "authorization", "*.authorization", "cookie", "*.cookie"],
    censor: "[redacted]",
  },
});
