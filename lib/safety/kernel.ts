import type { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { readOnlyDb } from "@/db/read-only";
import type { KernelImpersonation, KernelUser, RequestContext } from "./request";
import { fail, failureOf, ok, type ActionError, type ActionResult } from "./result";

/**
 * The procedure kernel. A procedure is a declared mutation (`defineAction`)
 * or read (`defineQuery`); the kernel runs it through a chain of links, each
 * defined by the capability that owns it and composed, in order, in one root
 * module (lib/procedures.ts). The kernel itself knows no capability: it
 * validates input, runs `prepare` / the transaction / `compensate` /
 * `afterCommit`, hands queries a read-only database, and classifies errors
 * into typed results.
 */

/** The app's own types, bound once by the composition root. */
export type KernelTypes = {
  user: KernelUser;
  impersonation: KernelImpersonation;
  /** Named permissions from the role table; "public" and "system" are added by the kernel. */
  permission: string;
  auditAction: string;
  auditActor: { type: string; id: string | null };
};

/** Who may call: a permission, anyone ("public"), only jobs and the CLI ("system"), or a list of these. */
export type Access<T extends KernelTypes> = T["permission"] | "public" | "system";
type Allowed<P> = P extends readonly (infer E)[] ? E : P;
/** The user a handler sees: none for system work, maybe none for public access. */
export type UserFor<T extends KernelTypes, P> = Allowed<P> extends infer A
  ? A extends "system"
    ? null
    : A extends "public"
      ? T["user"] | null
      : T["user"]
  : never;

export type AuditContext<T extends KernelTypes, In, Out, P> = { input: In; data: Out | undefined; user: UserFor<T, P>; request: RequestContext<T["user"], T["impersonation"]> };

/** The audit event a procedure records: on success in its transaction, on refusal as `denied`. */
export type AuditDeclaration<T extends KernelTypes, In, Out, P> = {
  action: T["auditAction"];
  target: (c: AuditContext<T, In, Out, P>) => { type: string; id: string | null };
  metadata?: (c: AuditContext<T, In, Out, P>) => Record<string, unknown>;
  /** Who acted, when not the caller (e.g. the account a sign-up just created). */
  actor?: (c: AuditContext<T, In, Out, P>) => T["auditActor"];
};

type Common<T extends KernelTypes, S extends z.ZodType, P> = {
  name: string;
  permission: P;
  input: S;
  /** Only for procedures that must work during a read-only support session; `writes` lists the tables it may still change. */
  allowDuringImpersonation?: true | { writes: readonly string[] };
  request?: never;
} & Partial<Record<"__types", T>>;

export type BaseContext<T extends KernelTypes, In, P> = { input: In; user: UserFor<T, P>; request: RequestContext<T["user"], T["impersonation"]> };

export type ActionCore<T extends KernelTypes, S extends z.ZodType, Out, P, Prep, Provides> = Common<T, S, P> & {
  /** Outbound work that must not hold a transaction open (provider calls through their breakers). Runs after every guard. */
  prepare?: (ctx: BaseContext<T, z.output<S>, P> & { db: Db }) => Promise<Prep>;
  /** The change, inside one transaction with its audit event. */
  handler: (ctx: BaseContext<T, z.output<S>, P> & { tx: Tx; prepared: Prep } & Provides) => Promise<Out>;
  /**
   * Undoes what `prepare` did when the transaction then fails (refund a charge, release a claim).
   * May return the failure the caller should see instead of `error` (what was undone, what still will be).
   */
  compensate?: (ctx: BaseContext<T, z.output<S>, P> & { prepared: Prep; error: ActionError }) => Promise<ActionError | void>;
  /** Work that must only happen once the change is committed (e.g. setting a session cookie). */
  afterCommit?: (ctx: BaseContext<T, z.output<S>, P> & { data: NoInfer<Out> }) => Promise<void>;
  /**
   * What the caller receives, when it must be less than what the audit hooks
   * see: an answer that must not reveal whether an account exists keeps the
   * account's id for the audit event and drops it here.
   */
  respond?: (data: NoInfer<Out>) => NoInfer<Out>;
  // Declare `audit` after `handler` in an action literal: TypeScript infers the result type left to right.
  audit: AuditDeclaration<T, z.output<S>, NoInfer<Out>, P>;
};

export type QueryCore<T extends KernelTypes, S extends z.ZodType, Out, P> = Common<T, S, P> & {
  /** The read, on a handle that refuses writes. */
  handler: (ctx: BaseContext<T, z.output<S>, P> & { db: Db }) => Promise<Out>;
  /** False for reads that must answer without the database (a liveness probe): the handler gets no handle. */
  usesDatabase?: boolean;
  /** Reads worth recording (searching the audit log, say) declare their event; most reads declare none. */
  audit?: AuditDeclaration<T, z.output<S>, NoInfer<Out>, P>;
};

export type Procedure<Out = unknown, Def = unknown> = {
  readonly kind: "action" | "query";
  readonly definition: Def & { name: string; permission: unknown; allowDuringImpersonation?: true | { writes: readonly string[] } };
  run(rawInput: unknown, request: RequestContext<never, never> | RequestContext<KernelUser, KernelImpersonation>): Promise<ActionResult<Out>>;
};

/** One call travelling the chain. Links read the declaration and request, and may record what they learn. */
export type Call<Options = object> = {
  readonly kind: "action" | "query";
  readonly def: Options & { name: string; permission: unknown; input: z.ZodType; audit?: AuditDeclaration<KernelTypes, unknown, unknown, unknown>; allowDuringImpersonation?: true | { writes: readonly string[] } };
  readonly request: RequestContext;
  readonly rawInput: unknown;
  /** The validated input, once the input link has run. */
  input?: unknown;
  /** What the handler returned, once it has. */
  data?: unknown;
  /** Fields links offer the handler (e.g. `notify`). */
  readonly services: Record<string, unknown>;
  /** Links' own notes about this call (e.g. the notifications it queued). */
  readonly state: Record<string, unknown>;
};

export type Next = () => Promise<ActionResult<unknown>>;

/**
 * A guard or service in the chain. `around` wraps everything after it (a
 * guard refuses by returning a failure instead of calling `next`);
 * `inTransaction` runs inside an action's transaction after its handler;
 * `provide` adds fields to the handler's context; `database` narrows the
 * handle the call gets.
 */
export type Link<Options = object, Provides = object> = {
  readonly name: string;
  around?: (call: Call<Options>, next: Next) => Promise<ActionResult<unknown>>;
  inTransaction?: (call: Call<Options>, tx: Tx) => Promise<void>;
  provide?: (call: Call<Options>, tx: Tx) => Provides;
  /** Narrows the database handle this call gets (e.g. read-only during a support session). */
  database?: (call: Call<Options>, db: Db) => Db;
  /** Type-only: the declaration fields this link reads and the handler fields it adds. */
  readonly __types?: { options: Options; provides: Provides };
};

export function defineLink<Options = object, Provides = object>(link: Link<Options, Provides>): Link<Options, Provides> {
  return link;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a chain holds links of many option types; each is read through its own
type AnyLink = Link<any, any>;
type OptionsOf<L> = UnionToIntersection<L extends { readonly __types?: { options: infer O } } ? O : never>;
type ProvidesOf<L> = UnionToIntersection<L extends { readonly __types?: { provides: infer P } } ? P : never>;

/**
 * Where a NUL character hides in raw input (a value or a key, at any depth):
 * the field it is under, or null. Postgres refuses NUL in text, and no form
 * field of ours needs one, so it is invalid input rather than a server error.
 */
function fieldWithNul(value: unknown, field: string | null = null, depth = 0): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? (field ?? "_form") : null;
  if (!value || typeof value !== "object" || depth > 20) return null;
  for (const [key, inner] of Object.entries(value)) {
    const at = field ?? key;
    if (key.includes("\u0000")) return field ?? "_form";
    const found = fieldWithNul(inner, at, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The input link: zod validation, with per-field messages. Placed by the root where cheap checks belong. */
export const validateInput = defineLink({
  name: "input",
  around: async (call, next) => {
    const nul = fieldWithNul(call.rawInput);
    if (nul) return fail("invalid_input", undefined, { fieldErrors: { [nul]: "Remove the invisible control character (NUL) from this field." } });
    const parsed = call.def.input.safeParse(call.rawInput);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[issue.path.length > 0 ? String(issue.path[0]) : "_form"] ??= issue.message;
      return fail("invalid_input", undefined, { fieldErrors });
    }
    call.input = parsed.data;
    return next();
  },
});

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** A thrown error as a typed result: branded errors keep their code, a unique violation is a conflict, anything else is rethrown. */
function classify(error: unknown): ActionError {
  const known = failureOf(error);
  if (known) return known;
  if (isUniqueViolation(error)) return fail("conflict");
  throw error;
}

type Ports = {
  /** The root database handle. */
  database: () => Promise<Db>;
  /** Logs a failure of post-commit work, which never turns a committed change into a reported failure. */
  onAfterCommitError?: (error: unknown, call: Call) => void;
  /** Logs a compensation that failed; the caller still gets the original failure. */
  onCompensationError?: (error: unknown, call: Call) => void;
};

/**
 * Binds the kernel to the app's types and chain: `createKernel<AppTypes>()(ports, links)`.
 * The chain runs in the order given, outermost first.
 */
export function createKernel<T extends KernelTypes>() {
  return function compose<const L extends readonly AnyLink[]>(ports: Ports, links: L) {
    type Options = OptionsOf<L[number]>;
    type Provides = ProvidesOf<L[number]>;
    const chain = links as unknown as readonly Link<object, object>[];
    const registry = new Map<string, Procedure>();

    async function runChain(call: Call, core: () => Promise<ActionResult<unknown>>): Promise<ActionResult<unknown>> {
      const step = (i: number): Promise<ActionResult<unknown>> => {
        const link = chain[i];
        if (!link) return core();
        return link.around ? link.around(call, () => step(i + 1)) : step(i + 1);
      };
      try {
        return await step(0);
      } catch (error) {
        // A link that should have classified this did not (or none is composed): still a typed result, never a throw.
        const known = failureOf(error);
        return known ?? fail("internal");
      }
    }

    async function databaseFor(call: Call): Promise<Db> {
      let db = await ports.database();
      for (const link of chain) if (link.database) db = link.database(call, db);
      return db;
    }

    function baseOf(call: Call) {
      return { input: call.input, user: call.request.user, request: call.request } as never;
    }

    async function actionCore(call: Call, def: ActionCore<T, z.ZodType, unknown, unknown, unknown, object>): Promise<ActionResult<unknown>> {
      let db: Db;
      let prepared: unknown = undefined;
      try {
        db = await databaseFor(call);
        if (def.prepare) prepared = await def.prepare({ ...(baseOf(call) as object), db } as never);
      } catch (error) {
        return classify(error);
      }
      try {
        const data = await db.transaction(async (tx) => {
          const services: Record<string, unknown> = call.services;
          for (const link of chain) if (link.provide) Object.assign(services, link.provide(call, tx));
          call.data = await def.handler({ ...(baseOf(call) as object), tx, prepared, ...services } as never);
          for (const link of chain) if (link.inTransaction) await link.inTransaction(call, tx);
          return call.data;
        });
        if (def.afterCommit) {
          await def.afterCommit({ ...(baseOf(call) as object), data } as never).catch((error: unknown) => ports.onAfterCommitError?.(error, call));
        }
        return ok(def.respond ? def.respond(data) : data);
      } catch (error) {
        const failure = classifyOrInternal(error);
        let result = failure.result;
        if (def.compensate && def.prepare) {
          try {
            // The compensation may know better what the caller should be told (e.g. "the charge was refunded").
            result = (await def.compensate({ ...(baseOf(call) as object), prepared, error: result } as never)) ?? result;
          } catch (compensationError) {
            ports.onCompensationError?.(compensationError, call);
          }
        }
        if (failure.rethrow) throw error;
        return result;
      }
    }

    function classifyOrInternal(error: unknown): { result: ActionError; rethrow: boolean } {
      try {
        return { result: classify(error), rethrow: false };
      } catch {
        return { result: fail("internal"), rethrow: true };
      }
    }

    async function queryCore(call: Call, def: QueryCore<T, z.ZodType, unknown, unknown>): Promise<ActionResult<unknown>> {
      try {
        const db = def.usesDatabase === false ? (undefined as never) : readOnlyDb(await databaseFor(call), "a read");
        call.data = await def.handler({ ...(baseOf(call) as object), db } as never);
        return ok(call.data);
      } catch (error) {
        return classify(error);
      }
    }

    function procedure<Out>(kind: "action" | "query", definition: { name: string }, core: (call: Call) => Promise<ActionResult<unknown>>): Procedure<Out, never> {
      // Keyed by name; a dev-server reload of the declaring module replaces its entry.
      const proc: Procedure<Out, never> = {
        kind,
        definition: definition as never,
        run: (rawInput, request) => {
          const call: Call = { kind, def: definition as Call["def"], request: request as RequestContext, rawInput, services: {}, state: {} };
          return runChain(call, () => core(call)) as Promise<ActionResult<Out>>;
        },
      };
      registry.set(definition.name, proc as Procedure);
      return proc;
    }

    function defineAction<S extends z.ZodType, Out, const P extends Access<T> | readonly Access<T>[], Prep = undefined>(
      definition: ActionCore<T, S, Out, P, Prep, Provides> & Options,
    ): Procedure<Out, typeof definition> {
      return procedure<Out>("action", definition, (call) => actionCore(call, definition as never)) as never;
    }

    function defineQuery<S extends z.ZodType, Out, const P extends Access<T> | readonly Access<T>[]>(
      definition: QueryCore<T, S, Out, P> & Partial<Options>,
    ): Procedure<Out, typeof definition> {
      return procedure<Out>("query", definition, (call) => queryCore(call, definition as never)) as never;
    }

    return { defineAction, defineQuery, registry };
  };
}


