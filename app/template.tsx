import { headers } from "next/headers";
import type { ReactNode } from "react";
import { FlagValues } from "@/components/flags/flag-values-server";
import { timePageRender } from "@/lib/status/page-timing";

/**
 * A template (not the layout) re-renders on every navigation, so client
 * components see fresh flag values, and every page render is timed for the
 * page-latency SLO.
 */
export default async function Template({ children }: { children: ReactNode }) {
  timePageRender((await headers()).get("x-request-start"));
  return <FlagValues>{children}</FlagValues>;
}
