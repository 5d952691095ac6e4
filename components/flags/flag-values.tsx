"use client";

import { createContext, useContext, useEffect, useRef, type ReactNode } from "react";
import { ANONYMOUS_ID_COOKIE } from "./anonymous-id";

type Values = { values: Record<string, unknown>; experiments: readonly string[]; version: number; exposure: boolean };

const FlagValuesContext = createContext<Values>({ values: {}, experiments: [], version: -1, exposure: false });

/**
 * Evaluated flag values for the current user, rendered on the server (no
 * flicker, never the rules). Mount it where it re-renders on navigation
 * (e.g. app/template.tsx) so values follow flag changes.
 */
export function FlagValuesProvider({ children, ...value }: Values & { children: ReactNode }) {
  useEffect(() => {
    if (document.cookie.split("; ").some((c) => c.startsWith(`${ANONYMOUS_ID_COOKIE}=`))) return;
    document.cookie = `${ANONYMOUS_ID_COOKIE}=${crypto.randomUUID()}; Path=/; Max-Age=${60 * 60 * 24 * 365}; SameSite=Lax`;
  }, []);
  return <FlagValuesContext.Provider value={value}>{children}</FlagValuesContext.Provider>;
}

const exposed = new Set<string>();

/** A flag's value for this user; experiment flags report an exposure to PostHog (once per page session, only when PostHog is running). */
export function useFlag<T>(key: string, fallback: T): T {
  const ctx = useContext(FlagValuesContext);
  const value = (key in ctx.values ? ctx.values[key] : fallback) as T;
  const reported = useRef(false);
  useEffect(() => {
    if (!ctx.exposure || reported.current || !ctx.experiments.includes(key) || exposed.has(`${key}:${String(value)}`)) return;
    reported.current = true;
    exposed.add(`${key}:${String(value)}`);
    void import("posthog-js").then(({ default: posthog }) => {
      // Loaded only after consent and without Do Not Track (components/analytics): otherwise nothing is sent.
      if (posthog.__loaded) posthog.capture("$feature_flag_called", { $feature_flag: key, $feature_flag_response: value, config_version: ctx.version });
    });
  }, [ctx, key, value]);
  return value;
}
