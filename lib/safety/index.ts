/**
 * The procedure kernel: declared actions and queries run through a chain of
 * links (guards and services) that the composition root, lib/procedures.ts,
 * lists in order. It imports no capability; capabilities define their links
 * with `defineLink` and the root composes them.
 */
export {
  createKernel,
  defineLink,
  validateInput,
  type Access,
  type AuditDeclaration,
  type Call,
  type KernelTypes,
  type Link,
  type Next,
  type Procedure,
  type UserFor,
} from "./kernel";
export { ActionFailure, brandError, errorCodeOf, fail, failureOf, ok, HTTP_STATUS, DEFAULT_MESSAGES, ERROR_CODES, SERVER_FAULTS, type ActionError, type ActionResult, type ErrorCode } from "./result";
export { isSystemName, systemContext, type KernelImpersonation, type KernelUser, type RequestContext, type SystemName } from "./request";
