import { BlockList, isIP } from "node:net";

/**
 * The client's address, only from headers something we trust has written.
 * X-Forwarded-For is a list anyone can start: a client sends its own, and
 * each proxy appends the address it saw. So the list is read from the right,
 * skipping the proxies we run, and the first address that is not one of
 * them is the client. Anything left of it is the client's own claim and is
 * ignored. On Vercel the edge overwrites `x-real-ip` (and
 * `x-vercel-forwarded-for`) itself, so those are read instead.
 */
export type ClientAddressSource = { source: "vercel" } | { source: "proxies"; trusted: readonly string[] };

/** "::ffff:10.0.0.1" → "10.0.0.1", "[::1]:443" → "::1", "10.0.0.1:5555" → "10.0.0.1"; null when it is not an address. */
export function normaliseAddress(raw: string | null | undefined): string | null {
  let value = raw?.trim() ?? "";
  if (!value) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  if (/^::ffff:[\d.]+$/i.test(value)) value = value.slice(7);
  return isIP(value) ? value.toLowerCase() : null;
}

const blockLists = new Map<string, BlockList>();

function trustedList(trusted: readonly string[]): BlockList {
  const cacheKey = trusted.join(",");
  let list = blockLists.get(cacheKey);
  if (!list) {
    list = new BlockList();
    for (const entry of trusted) {
      const [address, prefix] = entry.split("/");
      const type = isIP(address!) === 6 ? "ipv6" : "ipv4";
      if (prefix === undefined) list.addAddress(address!, type);
      else list.addSubnet(address!, Number(prefix), type);
    }
    blockLists.set(cacheKey, list);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

export function clientAddressFrom(headers: Headers | undefined, config: ClientAddressSource): string | null {
  if (!headers) return null;
  if (config.source === "vercel") {
    return normaliseAddress(headers.get("x-real-ip")) ?? normaliseAddress(headers.get("x-vercel-forwarded-for")?.split(",")[0]);
  }
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const list = trustedList(config.trusted);
  for (let i = hops.length - 1; i >= 0; i--) {
    const address = normaliseAddress(hops[i]);
    // A hop our own proxy wrote that is not an address: the chain is broken, trust none of it.
    if (!address) return null;
    if (!isTrusted(list, address)) return address;
    // The whole chain is our own proxies: the request came from one of them.
    if (i === 0) return address;
  }
  return null;
}
