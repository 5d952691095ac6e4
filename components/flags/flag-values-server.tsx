import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { getSessionUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { evaluateFlagsForVisitor, refreshFlagSnapshot } from "@/lib/flags";
import { ANONYMOUS_ID_COOKIE } from "./anonymous-id";
import { FlagValuesProvider } from "./flag-values";

/** Server side of FlagValuesProvider: evaluates every flag for this request's user and hands down values only. */
export async function FlagValues({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  const anonymousId = (await cookies()).get(ANONYMOUS_ID_COOKIE)?.value ?? null;
  const results = await evaluateFlagsForVisitor(user, anonymousId);
  const snapshot = await refreshFlagSnapshot();
  const values: Record<string, unknown> = {};
  for (const [key, r] of Object.entries(results)) values[key] = r.value;
  const experiments = [...(snapshot?.rows.values() ?? [])].filter((r) => r.kind === "experiment").map((r) => r.key);
  const version = Object.values(results)[0]?.version ?? -1;
  return (
    <FlagValuesProvider values={values} experiments={experiments} version={version} exposure={Boolean(env.NEXT_PUBLIC_POSTHOG_KEY)}>
      {children}
    </FlagValuesProvider>
  );
}
