/**
 * Upper bounds on what a browser may attach, so a report can't be used to
 * stuff the database. The report form and the browser's error store keep to
 * them; the server validates against them. No imports, so client code can
 * use them as they are.
 */
export const REPORT_LIMITS = { description: 5000, errorIds: 10, recentErrors: 5, errorMessage: 500, url: 2000, route: 500, userAgent: 1000 } as const;

/** Sentry event ids (32 hex), Next.js digests (digits), our own UUIDs. */
export const ERROR_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
