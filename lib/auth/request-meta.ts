import "server-only";
import { clientAddress } from "@/lib/security";

/**
 * Who is calling, from the request headers: the client's address only as our
 * platform or proxies recorded it (never a client-set X-Forwarded-For), and
 * the user agent as sent.
 */
export function requestMetaFrom(headers: Headers | undefined): { ip: string | null; userAgent: string | null } {
  return { ip: clientAddress(headers), userAgent: headers?.get("user-agent")?.slice(0, 512) ?? null };
}
