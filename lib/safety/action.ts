import type { z } from "zod";
import { getDb, type Db, type Tx } from "@/db/client";
import { ReadOnlyDatabaseError } from "@/db/read-only";
import { recordAuditEvent, type AuditAction, type AuditActor } from "@/lib/audit";
import { hasPermission, type Permission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/types";
import { checkKillSwitch, KILL_SWITCHES, type KillSwitch } from "@/lib/flags";
import { deliverNotifications, queueNotification, type NotificationInput } from "@/lib/notifications";
import { logger } from "@/lib/observability/logger";
import { captureServerError, tagRequestScope } from "@/lib/observability/sentry";
import { DependencyDownError } from "@/lib/breakers/errors";
import { checkRateLimit, type RateLimitPolicy } from "@/lib/ratelimit";
import type { RequestContext } from "./context";
import { ActionFailure, fail, ok, type ActionError, type ActionResult, type ErrorCode } from "./result";

type UserFor<P> = P extends "public" ? SessionUser | null : SessionUser;

type BaseContext<I, P> = { input: I; user: UserFor<P>; request: RequestContext };

export type HandlerContext<I, P, Prep> = BaseContext<I, P> & {
  tx: Tx;
  prepared: Prep;
  /** Queue an email in this transaction; it is delivered only if the transaction commits. */
  notify: (notification: NotificationInput) => Promise<void>;
};

/**
 * The declaration of one mutation. Reading it tells you every safeguard it
 * has; `runAction` applies them in the order of DESIGN.md:
 * session → role → read-only → kill switch → rate limit → input → transaction { change + audit } → result.
 */
// Declare `audit` after `handler` in an action literal: TypeScript infers the result type left to right.
export type ActionDefinition<S extends z.ZodType, Out, P extends Permission | "public", Prep> = {
  name: string;
  permission: P;
  /** Kill switch that must be on for this action to run. */
  flag?: KillSwitch;
  rateLimit?: { policy: RateLimitPolicy; key: (ctx: { user: UserFor<P>; request: RequestContext; rawInput: unknown }) => string };
  /** Only for actions that must work during a read-only support session (e.g. ending it, reporting a problem). */
  allowDuringImpersonation?: boolean;
  input: S;
  audit: {
    action: AuditAction;
    target: (input: z.output<S>, data: NoInfer<Out> | undefined) => { type: string; id: string | null };
    metadata?: (input: z.output<S>, data: NoInfer<Out> | undefined) => Record<string, unknown>;
    /** Who acted, when not the session user (e.g. the account a sign-up just created). */
    actor?: (input: z.output<S>, data: NoInfer<Out> | undefined) => AuditActor;
  };
  /**
   * Outbound work that must not hold a database transaction open (provider
   * calls through their breakers). Runs after every guard, before the transaction.
   */
  prepare?: (ctx: BaseContext<z.output<S>, P> & { db: Db }) => Promise<Prep>;
  handler: (ctx: HandlerContext<z.output<S>, P, Prep>) => Promise<Out>;
  /** Work that must only happen once the change is committed (e.g. setting a session cookie). */
  afterCommit?: (ctx: BaseContext<z.output<S>, P> & { data: NoInfer<Out> }) => Promise<void>;
};

export type GuardedAction<S extends z.ZodType = z.ZodType, Out = unknown, P extends Permission | "public" = Permission | "public", Prep = unknown> = {
  readonly kind: "guarded-action";
  readonly definition: ActionDefinition<S, Out, P, Prep>;
  run(rawInput: unknown, request: RequestContext): Promise<ActionResult<Out>>;
};

/** Every action defined in this process, so tests can walk all of them. */
export const actionRegistry = new Map<string, GuardedAction>();

export function defineAction<S extends z.ZodType, Out, P extends Permission | "public", Prep = undefined>(
  definition: ActionDefinition<S, Out, P, Prep>,
): GuardedAction<S, Out, P, Prep> {
  const action: GuardedAction<S, Out, P, Prep> = {
    kind: "guarded-action",
    definition,
    run: (rawInput, request) => runAction(definition, rawInput, request),
  };
  actionRegistry.set(definition.name, action as unknown as GuardedAction);
  return action;
}

function actorOf(user: SessionUser | null): AuditActor {
  return user ? { type: user.role, id: user.id } : { type: "anonymous", id: null };
}

const DENIALS: ReadonlySet<ErrorCode> = new Set(["forbidden", "read_only", "disabled", "rate_limited"]);

async function runAction<S extends z.ZodType, Out, P extends Permission | "public", Prep>(
  def: ActionDefinition<S, Out, P, Prep>,
  rawInput: unknown,
  request: RequestContext,
): Promise<ActionResult<Out>> {
  const user = request.user as UserFor<P>;
  // Any error Sentry captures during this action carries the user id and request id.
  tagRequestScope({ requestId: request.requestId, userId: request.user?.id, action: def.name });
  const db = await getDb();
  const refuse = async (error: ActionError, input?: z.output<S>): Promise<ActionError> => {
    if (DENIALS.has(error.code) || error.code === "payment_failed" || error.code === "dependency_down") {
      await recordAuditEvent(db, {
        actor: actorOf(request.user),
        action: def.audit.action,
        target: input === undefined ? undefined : def.audit.target(input, undefined),
        outcome: DENIALS.has(error.code) ? "denied" : "failure",
        metadata: { code: error.code, action: def.name },
        request, // ip, user agent, impersonator: the audit log keeps them (personal data outside the chain)
      }).catch((e: unknown) => logger.error({ err: e, action: def.name }, "could not record refused action"));
    }
    logger.info({ action: def.name, outcome: error.code, userId: request.user?.id, requestId: request.requestId }, "action refused");
    return error;
  };

  // 1. session  2. role
  if (def.permission !== "public") {
    if (!request.user) return refuse(fail("unauthenticated"));
    if (!hasPermission(request.user.role, def.permission as Permission)) return refuse(fail("forbidden"));
  }
  // 3. read-only support session
  if (request.impersonation && !def.allowDuringImpersonation) return refuse(fail("read_only"));
  // 4. kill switch
  if (def.flag && !(await checkKillSwitch(def.flag))) return refuse(fail("disabled", KILL_SWITCHES[def.flag].message));
  // 5. rate limit
  if (def.rateLimit) {
    const decision = await checkRateLimit(def.rateLimit.policy, def.rateLimit.key({ user, request, rawInput }));
    if (!decision.allowed) {
      return refuse(
        fail(
          "rate_limited",
          decision.outcome === "limiter_unavailable"
            ? `We can't check this safely right now. Try again in ${decision.retryAfterSeconds} seconds.`
            : `Too many attempts. Try again in ${decision.retryAfterSeconds} seconds.`,
          { retryAfter: decision.retryAfterSeconds },
        ),
      );
    }
  }
  // 6. input
  const parsed = def.input.safeParse(rawInput);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path.length > 0 ? String(issue.path[0]) : "_form";
      fieldErrors[field] ??= issue.message;
    }
    return refuse(fail("invalid_input", undefined, { fieldErrors }));
  }
  const input = parsed.data as z.output<S>;

  try {
    // 7. outbound calls, then one transaction holding the change and its audit event
    const prepared = def.prepare ? await def.prepare({ input, user, request, db }) : (undefined as Prep);
    const queued: string[] = [];
    const data = await db.transaction(async (tx) => {
      const result = await def.handler({
        input,
        user,
        request,
        tx,
        prepared,
        notify: async (n) => {
          queued.push(await queueNotification(tx, n));
        },
      });
      await recordAuditEvent(tx, {
        actor: def.audit.actor?.(input, result) ?? actorOf(request.user),
        action: def.audit.action,
        target: def.audit.target(input, result),
        outcome: "success",
        metadata: def.audit.metadata?.(input, result),
        request, // ip, user agent, impersonator: the audit log keeps them (personal data outside the chain)
      });
      return result;
    });
    logger.info({ action: def.name, outcome: "ok", userId: request.user?.id, requestId: request.requestId }, "action ok");
    await afterCommit(def, queued, { input, user, request, data });
    return ok(data);
  } catch (error) {
    if (error instanceof ActionFailure) return refuse(fail(error.code, error.message, error.extra), input);
    // A provider behind an open breaker (or failing) in `prepare`: nothing was changed, say so plainly.
    if (error instanceof DependencyDownError) return refuse(fail("dependency_down"), input);
    if (isUniqueViolation(error)) return refuse(fail("conflict"), input);
    // The data-access guard caught a write the guarded path let through (an action allowed during a support session).
    if (error instanceof ReadOnlyDatabaseError) return refuse(fail("read_only"), input);
    // The id the user sees is the Sentry event id when Sentry is on, so support can open that event.
    const errorId = captureServerError(error, { requestId: request.requestId, userId: request.user?.id, action: def.name });
    logger.error({ err: error, errorId, action: def.name, outcome: "internal", userId: request.user?.id, requestId: request.requestId }, "action failed");
    return fail("internal", undefined, { errorId });
  }
}

/** Post-commit work never turns a committed change into a reported failure: it is logged instead. */
async function afterCommit<S extends z.ZodType, Out, P extends Permission | "public", Prep>(
  def: ActionDefinition<S, Out, P, Prep>,
  queued: string[],
  ctx: BaseContext<z.output<S>, P> & { data: Out },
): Promise<void> {
  try {
    if (queued.length > 0) await deliverNotifications(queued);
    if (def.afterCommit) await def.afterCommit(ctx);
  } catch (error) {
    logger.error({ err: error, action: def.name, requestId: ctx.request.requestId }, "after-commit step failed");
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
