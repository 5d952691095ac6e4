import { revalidatePath } from "next/cache";
import { forbidden, notFound } from "next/navigation";
import { NextResponse } from "next/server";
import type { Procedure } from "./kernel";
import { systemContext, type RequestContext, type SystemName } from "./request";
import { failureOf, HTTP_STATUS, UNAVAILABLE_DIGEST_PREFIX, type ActionError, type ActionResult } from "./result";

type Via = "server_action" | "route" | "page";

type Adapters = {
  /** Who is asking, for this web request (never a system principal). */
  context: (via: Via) => Promise<RequestContext>;
  /** The request without its session, for public reads that are the same for everyone. */
  anonymousContext: (via: Via) => Promise<RequestContext>;
  /** Where a page sends someone who must sign in first (throws a redirect). */
  onUnauthenticated: () => Promise<never>;
  /** Wraps every route handler these adapters build (the app counts their outcomes for availability). */
  observeRoute?: <H extends (request: Request, ...rest: never[]) => Promise<Response>>(handler: H) => H;
};

/** True when only jobs and the CLI may run this procedure. */
function systemOnly(proc: Procedure): boolean {
  const p = proc.definition.permission;
  const list = typeof p === "string" ? [p] : (p as readonly string[]);
  return list.every((x) => x === "system");
}

function refuseSystemOnly(proc: Procedure, as: string): void {
  if (systemOnly(proc)) throw new Error(`${proc.definition.name} is for jobs and the ops CLI; it cannot be exposed as a ${as}`);
}

function isJson(request: Request): boolean {
  return request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

function isPublic(proc: Procedure): boolean {
  const p = proc.definition.permission;
  return (typeof p === "string" ? [p] : (p as readonly string[])).includes("public");
}

/**
 * A page's failure as the error its boundary receives. Next keeps a digest it
 * finds on the error (production strips the message), so the boundary can
 * say "a service is down" instead of "something went wrong".
 */
function pageError(result: ActionError): Error {
  const digest = result.code === "dependency_down" ? `${UNAVAILABLE_DIGEST_PREFIX}${result.errorId ?? crypto.randomUUID().slice(0, 8)}` : undefined;
  return Object.assign(new Error(result.message), { code: result.code, errorId: result.errorId }, digest ? { digest } : {});
}

function errorResponse(result: ActionError): Response {
  // The code in a header too, so whatever counts responses can tell a deliberate 503 (a kill switch) from a fault without reading the body.
  const headers: Record<string, string> = { "X-Error-Code": result.code };
  if (result.retryAfter) headers["Retry-After"] = String(result.retryAfter);
  const { code, message, fieldErrors, errorId } = result;
  return NextResponse.json({ error: { code, message, fieldErrors, errorId } }, { status: HTTP_STATUS[code], headers });
}

/**
 * The kernel's procedures as Next.js entry points. Routes never run a
 * procedure any other way: `app/**\/actions.ts` export only `serverAction(…)`,
 * mutating route handlers only `guardedRoute(…)` (a test enforces both), and
 * pages read through `loadPage(…)`.
 */
export function nextAdapters({ context, anonymousContext, onUnauthenticated, observeRoute = (handler) => handler }: Adapters) {
  /**
   * Who is asking. When that can't be told (the session lookup needs the
   * database), a public procedure answers as it would for anyone; any other
   * gets the typed failure (`dependency_down`), never a raw exception.
   */
  async function callerFor(proc: Procedure, via: Via): Promise<RequestContext | ActionError> {
    try {
      return await context(via);
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      return isPublic(proc) ? anonymousContext(via) : failure;
    }
  }

  async function run<Out>(proc: Procedure<Out>, input: unknown, via: Via): Promise<ActionResult<Out>> {
    const caller = await callerFor(proc as Procedure, via);
    return "ok" in caller ? caller : proc.run(input, caller);
  }
  /** A guarded action as a server action; a success refreshes the client's router cache. */
  function serverAction<Out>(proc: Procedure<Out>) {
    refuseSystemOnly(proc as Procedure, "server action");
    return async function guardedServerAction(input: unknown): Promise<ActionResult<Out>> {
      const result = await run(proc, input, "server_action");
      if (result.ok) revalidatePath("/", "layout");
      return result;
    };
  }

  /**
   * A guarded action as a mutating route handler: JSON in, `{ data }` or
   * `{ error }` out, codes mapped to statuses. Only `application/json` bodies
   * are read: a page on another site can post a form (urlencoded, multipart,
   * text/plain) without asking, but JSON needs a CORS preflight, which fails.
   */
  function guardedRoute<Out>(proc: Procedure<Out>) {
    refuseSystemOnly(proc as Procedure, "route handler");
    return observeRoute(async function guardedRouteHandler(request: Request, ctx: { params: Promise<Record<string, string>> }): Promise<Response> {
      if (!isJson(request)) {
        return NextResponse.json({ error: { code: "invalid_input", message: "Send the request body as application/json." } }, { status: 415 });
      }
      await ctx.params;
      const input = await request.json().catch(() => null);
      const result = await run(proc, input, "route");
      return result.ok ? NextResponse.json({ data: result.data }) : errorResponse(result);
    });
  }

  /** A query for a GET route handler; `respond` shapes the response (a stream, a file) from the data. */
  function routeQuery<Out>(
    proc: Procedure<Out>,
    options: {
      parse?: (request: Request, params: Record<string, string>) => Promise<unknown> | unknown;
      respond?: (data: Out, request: Request) => Response | Promise<Response>;
      /** False for public reads that are the same for everyone: the session is not looked up. */
      session?: false;
    } = {},
  ) {
    refuseSystemOnly(proc as Procedure, "route handler");
    return observeRoute(async function queryRouteHandler(request: Request, ctx: { params: Promise<Record<string, string>> }): Promise<Response> {
      const input = options.parse ? await options.parse(request, await ctx.params) : {};
      const result = options.session === false ? await proc.run(input, await anonymousContext("route")) : await run(proc, input, "route");
      if (!result.ok) return errorResponse(result);
      return options.respond ? options.respond(result.data, request) : NextResponse.json({ data: result.data });
    });
  }

  /**
   * A query for a page: the data, or the page's real status. Not signed in →
   * sign-in; forbidden → 403; missing or malformed → 404; anything else is
   * thrown to the error boundary (which shows the error id, and says so when
   * a service we depend on is down).
   */
  async function loadPage<Out>(proc: Procedure<Out>, input: unknown = {}): Promise<Out> {
    const result = await run(proc, input, "page");
    if (result.ok) return result.data;
    switch (result.code) {
      case "unauthenticated":
        return onUnauthenticated();
      case "forbidden":
      case "read_only":
        return forbidden();
      case "not_found":
      case "invalid_input":
        return notFound();
      default:
        throw pageError(result);
    }
  }

  /**
   * A provider's webhook as a mutating route: the raw body and the named
   * signature header are the procedure's input, and it runs as the system
   * principal `webhook:<provider>`. Only procedures that are system-only may
   * be exposed this way, and they must verify the signature themselves (the
   * principal names who claims to call, not who proved it). `respond` maps the
   * procedure's data to the answer the provider expects (a rejected event: 400).
   */
  function webhookRoute<Out>(proc: Procedure<Out>, options: { principal: SystemName & `webhook:${string}`; signatureHeader: string; respond?: (data: Out) => Response }) {
    if (!systemOnly(proc as Procedure)) throw new Error(`${proc.definition.name} must be system-only to be a webhook (it holds ${options.principal})`);
    return observeRoute(async function webhookRouteHandler(request: Request): Promise<Response> {
      const input = { payload: await request.text(), signature: request.headers.get(options.signatureHeader) ?? "" };
      // The caller's address as the request context reads it (trusted proxies only), for the record only; the principal is the system's.
      const seen = await anonymousContext("route").catch(() => null);
      const context = { ...systemContext(options.principal), ip: seen?.ip ?? null, userAgent: seen?.userAgent ?? null };
      const result = await proc.run(input, context);
      if (!result.ok) return errorResponse(result);
      return options.respond ? options.respond(result.data) : NextResponse.json({ received: true });
    });
  }

  return { serverAction, guardedRoute, routeQuery, loadPage, webhookRoute };
}
