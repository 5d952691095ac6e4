"use client";

import { useEffect } from "react";
import { ANONYMOUS_ID_COOKIE } from "./anonymous-id";

/**
 * Gives an anonymous visitor a stable id on the first page they open: the key
 * a percentage rollout uses for someone not signed in (the flags in flags.ts
 * read it), so a rollout is sticky before sign-in too. Renders nothing.
 */
export function AnonymousIdCookie() {
  useEffect(() => {
    if (document.cookie.split("; ").some((c) => c.startsWith(`${ANONYMOUS_ID_COOKIE}=`))) return;
    document.cookie = `${ANONYMOUS_ID_COOKIE}=${crypto.randomUUID()}; Path=/; Max-Age=${60 * 60 * 24 * 365}; SameSite=Lax`;
  }, []);
  return null;
}
