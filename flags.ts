import type { Identify } from "flags";
import { dedupe, flag } from "flags/next";
import { ANONYMOUS_ID_COOKIE } from "@/components/flags/anonymous-id";
import { getSessionUser } from "@/lib/auth/next";
import { breakwaterAdapter, flagContextFor, type FlagContext } from "@/lib/flags";

/**
 * The product's release flags, declared the Flags SDK's way: each is a
 * function a server component awaits, evaluated by Breakwater's rules for the
 * person asking, overridable for one browser from Flags Explorer
 * (`/.well-known/vercel/flags` lists everything exported here). A value
 * reaches only the page that awaits it. Roll one out from /admin/flags under
 * the same key.
 */

/**
 * Who is asking, once per request: the signed-in person, or a visitor by the
 * stable id the layout gives every browser, so a percentage rollout is sticky
 * before sign-in too.
 */
const identify = dedupe((async ({ cookies }) =>
  flagContextFor(await getSessionUser(), { anonymousId: cookies.get(ANONYMOUS_ID_COOKIE)?.value ?? null })) satisfies Identify<FlagContext>);

export const billingPlanComparison = flag<boolean, FlagContext>({
  key: "billing_plan_comparison",
  description: "Billing: a table comparing the plans, under the plan controls.",
  adapter: breakwaterAdapter(),
  identify,
  defaultValue: false,
  options: [
    { value: false, label: "Off" },
    { value: true, label: "On" },
  ],
});
