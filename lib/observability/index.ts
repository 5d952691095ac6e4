export { createLogger, logger, type Logger } from "./logger";
export { captureServerError, flushSentry, sentryEnabled, tagRequestScope, withCronCheckIn, type CronSchedule, type ObservedRequest } from "./sentry";
export { sentryOptions } from "./sentry-options";
