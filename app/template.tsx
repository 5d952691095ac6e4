import { headers } from "next/headers";
import type { ReactNode } from "react";
import { timePageRender } from "@/lib/status";

/**
 * A template (not the layout) re-renders on every navigation, so every page
 * render is timed for the page-latency SLO. Flags are evaluated where they
 * are read (the server), never shipped to the browser wholesale.
 */
export default async function Template({ children }: { children: ReactNode }) {
  timePageRender((await headers()).get("x-request-start"));
  return children;
}
