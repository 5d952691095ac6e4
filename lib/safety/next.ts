/* eslint-disable @typescript-eslint/no-explicit-any -- the action's input, permission and prepare types are erased at this boundary */
import { revalidatePath } from "next/cache";
import { NextResponse } from "next/server";
import { getRequestContext } from "@/lib/auth/session";
import type { GuardedAction } from "./action";
import { HTTP_STATUS, type ActionResult } from "./result";

/**
 * Exposes a guarded action as a Next.js server action. `app/**\/actions.ts`
 * files export only what this returns (a test enforces it).
 */
export function serverAction<Out>(action: GuardedAction<any, Out, any, any>) {
  return async function guardedServerAction(input: unknown): Promise<ActionResult<Out>> {
    const result = await action.run(input, await getRequestContext());
    // Pages here are dynamic and read fresh data; refresh the client's router cache after a change.
    if (result.ok) revalidatePath("/", "layout");
    return result;
  };
}

/**
 * Exposes a guarded action as a mutating route handler: the same guards,
 * result codes mapped to HTTP statuses in one table, errors as
 * `{ error: { code, message } }`, and `Retry-After` on 429.
 */
export function guardedRoute<Out>(
  action: GuardedAction<any, Out, any, any>,
  parse: (request: Request, params: Record<string, string>) => Promise<unknown> = (request) => request.json().catch(() => null),
) {
  return async function guardedRouteHandler(request: Request, context: { params: Promise<Record<string, string>> }): Promise<Response> {
    const input = await parse(request, await context.params);
    const result = await action.run(input, await getRequestContext());
    if (result.ok) return NextResponse.json({ data: result.data });
    const headers = result.retryAfter ? { "Retry-After": String(result.retryAfter) } : undefined;
    const { code, message, fieldErrors } = result;
    return NextResponse.json({ error: { code, message, fieldErrors } }, { status: HTTP_STATUS[code], headers });
  };
}
