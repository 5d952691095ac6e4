"use client";

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { analyticsSessionId } from "@/components/analytics/session";
import { buttonVariants, controlClass } from "@/components/ui/variants";
import { REPORT_LIMITS } from "@/lib/reports/constants";
import { OPEN_REPORT_EVENT, recentClientErrors, seenErrorIds, type ClientError, type OpenReportDetail } from "./error-store";

/** What the page knows about the reporter; the server re-derives all of it from the session anyway. */
export type ReporterInfo = {
  appVersion: string;
  environment: string;
  /** null: signed out. "unknown": a page that can't tell (the root error page); the server attaches it from the session. */
  user: { id: string; email: string } | null | "unknown";
  impersonating: boolean;
  /** The flag values in effect for this user, as the server will attach them; null when the page can't tell. */
  flags: Record<string, unknown> | null;
};

/** Exactly what the browser sends with the description, collected when the dialog opens. */
type BrowserContext = {
  url: string;
  route: string;
  time: string;
  timezone: string;
  userAgent: string;
  viewport: string;
  language: string;
  appVersion: string;
  environment: string;
  errorIds: string[];
  recentErrors: ClientError[];
  analyticsSessionId?: string;
};

function collectContext(info: ReporterInfo): BrowserContext {
  const sessionId = analyticsSessionId();
  return {
    url: window.location.href.slice(0, REPORT_LIMITS.url),
    route: window.location.pathname.slice(0, REPORT_LIMITS.route),
    time: new Date().toISOString(),
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? "unknown",
    userAgent: navigator.userAgent.slice(0, REPORT_LIMITS.userAgent),
    viewport: `${window.innerWidth}×${window.innerHeight}`,
    language: navigator.language,
    appVersion: info.appVersion,
    environment: info.environment,
    errorIds: seenErrorIds(),
    recentErrors: recentClientErrors(),
    ...(sessionId ? { analyticsSessionId: sessionId } : {}),
  };
}

type Sent = { reference: string };
type Failure = { message: string; fieldErrors: Record<string, string> };

const FOCUSABLE = 'a[href], button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * The "Report a problem" button and its dialog. A native modal <dialog>:
 * the page behind is inert, Tab is kept inside, Escape closes, focus returns
 * to the button. The user sees every field that will be sent before sending.
 */
export function ReportProblemButton(info: ReporterInfo) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const sentRef = useRef<HTMLParagraphElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const [context, setContext] = useState<BrowserContext | null>(null);
  const [description, setDescription] = useState("");
  const [email, setEmail] = useState("");
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const ids = { title: useId(), description: useId(), email: useId(), descriptionError: useId(), emailError: useId(), counter: useId() };
  const signedOut = info.user === null;

  const open = useCallback(
    (detail: OpenReportDetail = {}) => {
      setContext(collectContext(info));
      setSent(null);
      setFailure(null);
      if (detail.description) setDescription((current) => current || detail.description!.slice(0, REPORT_LIMITS.description));
      const dialog = dialogRef.current;
      if (dialog && !dialog.open) dialog.showModal();
      requestAnimationFrame(() => descriptionRef.current?.focus());
    },
    [info],
  );

  const close = useCallback(() => {
    dialogRef.current?.close();
  }, []);

  useEffect(() => {
    const onOpen = (event: Event) => open((event as CustomEvent<OpenReportDetail>).detail ?? {});
    window.addEventListener(OPEN_REPORT_EVENT, onOpen);
    return () => window.removeEventListener(OPEN_REPORT_EVENT, onOpen);
  }, [open]);

  // Keep Tab and Shift+Tab cycling inside the dialog.
  const trapFocus = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== "Tab" || !dialogRef.current) return;
    const focusable = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!context) return;
    setPending(true);
    setFailure(null);
    try {
      const response = await fetch("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ description, ...(signedOut ? { email } : {}), context }),
      });
      const body = (await response.json().catch(() => null)) as
        | { data?: { reference: string }; error?: { message: string; fieldErrors?: Record<string, string> } }
        | null;
      if (response.ok && body?.data) {
        setSent({ reference: body.data.reference });
        setDescription("");
      } else {
        setFailure({
          message: body?.error?.message ?? "We couldn't send your report. Please try again.",
          fieldErrors: body?.error?.fieldErrors ?? {},
        });
      }
    } catch {
      setFailure({ message: "We couldn't reach the server. Check your connection and try again.", fieldErrors: {} });
    } finally {
      setPending(false);
    }
  };

  const fieldError = (name: string) => failure?.fieldErrors[name];

  // After sending, focus goes to what happened: the reference, the first field to fix, or the error.
  useEffect(() => {
    if (sent) sentRef.current?.focus();
  }, [sent]);
  useEffect(() => {
    if (!failure) return;
    const invalid = dialogRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? alertRef.current)?.focus();
  }, [failure]);

  return (
    <>
      <button
        ref={triggerRef}
        type="button"
        onClick={() => open()}
        className={buttonVariants({ variant: "secondary", size: "sm" })}
      >
        Report a problem
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={ids.title}
        aria-modal="true"
        onKeyDown={trapFocus}
        onClose={() => triggerRef.current?.focus()}
        className="m-auto w-[calc(100vw-2rem)] max-w-2xl rounded-lg border border-border bg-popover p-0 text-left text-popover-foreground shadow-xl backdrop:bg-black/50"
      >
        <div className="max-h-[85vh] overflow-y-auto p-4 text-sm sm:p-6">
          <h2 id={ids.title} className="text-lg font-semibold">
            Report a problem
          </h2>
          {sent ? (
            <div className="mt-4 flex flex-col gap-4">
              <p ref={sentRef} tabIndex={-1} role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">
                Thank you: your report was sent. Your reference number is <strong data-testid="report-reference">{sent.reference}</strong>.
                {signedOut ? " We'll email you when it's resolved." : ""}
              </p>
              <div>
                <button type="button" onClick={close} className={buttonVariants()}>
                  Close
                </button>
              </div>
            </div>
          ) : (
            <form onSubmit={submit} noValidate className="mt-4 flex flex-col gap-4">
              <div className="flex flex-col gap-1">
                <label htmlFor={ids.description} className="font-medium">
                  What went wrong?
                </label>
                <textarea
                  id={ids.description}
                  ref={descriptionRef}
                  name="description"
                  required
                  maxLength={REPORT_LIMITS.description}
                  rows={5}
                  value={description}
                  onChange={(e) => setDescription(e.target.value)}
                  aria-invalid={fieldError("description") ? true : undefined}
                  aria-describedby={`${ids.counter}${fieldError("description") ? ` ${ids.descriptionError}` : ""}`}
                  className={controlClass}
                />
                <p id={ids.counter} className="text-xs text-slate-500">
                  {description.length.toLocaleString("en")} / {REPORT_LIMITS.description.toLocaleString("en")} characters
                </p>
                {fieldError("description") ? (
                  <p id={ids.descriptionError} className="text-red-700">
                    {fieldError("description")}
                  </p>
                ) : null}
              </div>
              {signedOut ? (
                <div className="flex flex-col gap-1">
                  <label htmlFor={ids.email} className="font-medium">
                    Your email
                  </label>
                  <input
                    id={ids.email}
                    name="email"
                    type="email"
                    autoComplete="email"
                    required
                    value={email}
                    onChange={(e) => setEmail(e.target.value)}
                    aria-invalid={fieldError("email") ? true : undefined}
                    aria-describedby={fieldError("email") ? ids.emailError : undefined}
                    className={controlClass}
                  />
                  {fieldError("email") ? (
                    <p id={ids.emailError} className="text-red-700">
                      {fieldError("email")}
                    </p>
                  ) : null}
                </div>
              ) : null}
              {context ? <ContextPreview context={context} info={info} /> : null}
              {/* Always in the dialog, so the error is announced when its text arrives. */}
              <div ref={alertRef} role="alert" tabIndex={-1} className={failure ? "rounded-md bg-red-50 px-3 py-2 text-red-800" : "sr-only"}>
                {failure?.message ?? null}
              </div>
              <div className="flex gap-2">
                <button type="submit" disabled={pending} className={buttonVariants()}>
                  {pending ? "Sending…" : "Send report"}
                </button>
                <button type="button" onClick={close} className={buttonVariants({ variant: "secondary" })}>
                  Cancel
                </button>
              </div>
            </form>
          )}
        </div>
      </dialog>
    </>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-x-2 py-1 sm:grid-cols-[10rem_minmax(0,1fr)]">
      <dt className="text-slate-500">{label}</dt>
      {/* Long URLs and user agents wrap at the edge, words stay whole where they fit. */}
      <dd className="min-w-0 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

/** Every value the report will carry, shown as text before it is sent. */
function ContextPreview({ context, info }: { context: BrowserContext; info: ReporterInfo }) {
  const flags = info.flags ? Object.entries(info.flags) : null;
  return (
    <details open className="rounded-md border border-slate-200 p-3">
      <summary className="cursor-pointer font-medium">Sent with your report</summary>
      <dl aria-label="Sent with your report" className="mt-2 divide-y divide-slate-100">
        <Row label="User id">{info.user === null ? "Not signed in" : info.user === "unknown" ? "From your session, if you're signed in" : info.user.id}</Row>
        <Row label="Page URL">{context.url}</Row>
        <Row label="Route">{context.route}</Row>
        <Row label="Time">{`${context.time} (${context.timezone})`}</Row>
        <Row label="Browser">{context.userAgent}</Row>
        <Row label="Viewport">{context.viewport}</Row>
        <Row label="Language">{context.language}</Row>
        <Row label="App version">{`${context.appVersion} (${context.environment})`}</Row>
        <Row label="Error ids">{context.errorIds.length > 0 ? <span data-testid="report-error-ids">{context.errorIds.join(", ")}</span> : "None seen in this tab"}</Row>
        <Row label="Recent errors">
          {context.recentErrors.length > 0 ? (
            <ul className="list-disc pl-4">
              {context.recentErrors.map((e) => (
                <li key={`${e.at}-${e.message}`}>{e.message}</li>
              ))}
            </ul>
          ) : (
            "None"
          )}
        </Row>
        {context.analyticsSessionId ? <Row label="Analytics session">{context.analyticsSessionId}</Row> : null}
      </dl>
      <p className="mt-3 font-medium">Added by our server</p>
      <dl className="mt-1 divide-y divide-slate-100">
        <Row label="Feature flags">
          {flags === null ? "The flags in effect for you" : flags.length === 0 ? "None" : flags.map(([k, v]) => `${k}: ${String(v)}`).join(", ")}
        </Row>
        <Row label="Support session">{info.impersonating ? "Active (read-only, this report is tagged as from staff)" : "Not active"}</Row>
        <Row label="Recent activity">{info.user === null ? "None (not signed in)" : "Your last few account events, visible to our support team only"}</Row>
      </dl>
    </details>
  );
}
