export { auth, handlers, signIn, signOut } from "./config";
export { getRequestContext, getSessionUser, requireUser, userWithPermission } from "./session";
export { hasPermission, PERMISSIONS, ROLES, type Permission } from "./permissions";
export { hashPassword, verifyPassword } from "./password";
export type { SessionUser, Role } from "./types";
