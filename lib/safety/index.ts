export { defineAction, actionRegistry, type GuardedAction, type ActionDefinition, type HandlerContext } from "./action";
export { ActionFailure, fail, ok, HTTP_STATUS, DEFAULT_MESSAGES, ERROR_CODES, type ActionResult, type ErrorCode } from "./result";
export { systemContext, type RequestContext } from "./context";
