/**
 * What this browser tab has seen go wrong, kept in sessionStorage (one tab,
 * survives a reload or a crash page) and bounded so it never grows: the
 * error ids shown to the user, and the last few client-side error messages.
 */
const IDS_KEY = "breakwater:error-ids";
const ERRORS_KEY = "breakwater:client-errors";
export const MAX_ERROR_IDS = 10;
export const MAX_CLIENT_ERRORS = 5;
const MAX_MESSAGE = 500;

export type ClientError = { message: string; at: string };

/** Fired to open the report dialog from elsewhere on the page (error pages), optionally pre-filled. */
export const OPEN_REPORT_EVENT = "breakwater:open-report";
export type OpenReportDetail = { errorId?: string; description?: string };

function read<T>(key: string): T[] {
  try {
    const value: unknown = JSON.parse(window.sessionStorage.getItem(key) ?? "[]");
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

function write(key: string, value: unknown[]): void {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the report just carries less.
  }
}

export function recordErrorId(id: string | undefined | null): void {
  if (!id || typeof window === "undefined" || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) return;
  write(IDS_KEY, [...read<string>(IDS_KEY).filter((x) => x !== id), id].slice(-MAX_ERROR_IDS));
}

export function seenErrorIds(): string[] {
  return typeof window === "undefined" ? [] : read<string>(IDS_KEY).filter((x) => typeof x === "string").slice(-MAX_ERROR_IDS);
}

export function recordClientError(message: string): void {
  if (typeof window === "undefined") return;
  const entry = { message: message.slice(0, MAX_MESSAGE), at: new Date().toISOString() };
  write(ERRORS_KEY, [...read<ClientError>(ERRORS_KEY), entry].slice(-MAX_CLIENT_ERRORS));
}

export function recentClientErrors(): ClientError[] {
  return typeof window === "undefined" ? [] : read<ClientError>(ERRORS_KEY).filter((e) => typeof e?.message === "string").slice(-MAX_CLIENT_ERRORS);
}

export function openReportDialog(detail: OpenReportDetail = {}): void {
  if (detail.errorId) recordErrorId(detail.errorId);
  window.dispatchEvent(new CustomEvent<OpenReportDetail>(OPEN_REPORT_EVENT, { detail }));
}
