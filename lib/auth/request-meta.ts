/**
 * Who is calling, from the request headers. The first X-Forwarded-For hop is
 * the client behind Vercel's proxy; elsewhere it can be spoofed (README).
 */
export function requestMetaFrom(headers: Headers | undefined): { ip: string | null; userAgent: string | null } {
  return {
    ip: headers?.get("x-forwarded-for")?.split(",")[0]?.trim() ?? headers?.get("x-real-ip") ?? null,
    userAgent: headers?.get("user-agent") ?? null,
  };
}
