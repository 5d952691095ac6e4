/**
 * What this browser tab has seen go wrong, kept in sessionStorage (one tab,
 * survives a reload or a crash page) and bounded so it never grows: the
 * error ids shown to the user, and the last few client-side error messages.
 */
import { ERROR_ID_PATTERN, REPORT_LIMITS } from "@/lib/reports/constants";

const IDS_KEY = "breakwater:error-ids";
const ERRORS_KEY = "breakwater:client-errors";

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
  if (!id || typeof window === "undefined" || !ERROR_ID_PATTERN.test(id)) return;
  write(IDS_KEY, [...read<string>(IDS_KEY).filter((x) => x !== id), id].slice(-REPORT_LIMITS.errorIds));
}

export function seenErrorIds(): string[] {
  return typeof window === "undefined" ? [] : read<string>(IDS_KEY).filter((x) => typeof x === "string").slice(-REPORT_LIMITS.errorIds);
}

export function recordClientError(message: string): void {
  if (typeof window === "undefined") return;
  const entry = { message: message.slice(0, REPORT_LIMITS.errorMessage), at: new Date().toISOString() };
  write(ERRORS_KEY, [...read<ClientError>(ERRORS_KEY), entry].slice(-REPORT_LIMITS.recentErrors));
}

export function recentClientErrors(): ClientError[] {
  return typeof window === "undefined" ? [] : read<ClientError>(ERRORS_KEY).filter((e) => typeof e?.message === "string").slice(-REPORT_LIMITS.recentErrors);
}

export function openReportDialog(detail: OpenReportDetail = {}): void {
  if (detail.errorId) recordErrorId(detail.errorId);
  window.dispatchEvent(new CustomEvent<OpenReportDetail>(OPEN_REPORT_EVENT, { detail }));
}
