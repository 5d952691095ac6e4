import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Every provider call goes through a breaker. This scans the source for
 * provider use outside lib/breakers and lib/providers: each must sit inside
 * a `callThroughBreaker(...)` call, and nothing may build or import a
 * provider implementation or reach the network on its own.
 */
const ROOTS = ["lib", "app", "scripts", "components"];
const ALLOWED = [path.join("lib", "breakers"), path.join("lib", "providers")];
/**
 * Files whose provider calls run inside a breaker their caller holds: each
 * names the call that must wrap it, and the test checks that call exists.
 */
const WRAPPED_BY_CALLER: Record<string, { caller: string; call: string }> = {
  [path.join("lib", "alerts", "destinations.ts")]: {
    caller: path.join("lib", "alerts", "delivery.ts"),
    call: "callThroughBreaker(destination, () => sendToDestination(",
  },
};

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Offsets of every `callThroughBreaker(` call's argument span. */
function breakerSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const match of text.matchAll(/callThroughBreaker\s*\(/g)) {
    let depth = 1;
    let i = match.index + match[0].length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")") depth--;
    }
    spans.push([match.index, i]);
  }
  return spans;
}

export function findDirectProviderCalls(files: { file: string; text: string }[]): string[] {
  const problems: string[] = [];
  for (const { file, text } of files) {
    if (ALLOWED.some((dir) => file.startsWith(dir + path.sep))) continue;
    const wrapped = WRAPPED_BY_CALLER[file];
    if (wrapped && files.some((f) => f.file === wrapped.caller && f.text.includes(wrapped.call))) continue;
    const spans = breakerSpans(text);
    for (const match of text.matchAll(/providers\s*\.\s*(payments|email)\s*\.\s*\w+\s*\(/g)) {
      if (!spans.some(([a, b]) => match.index > a && match.index < b)) {
        problems.push(`${file}: ${match[0]} outside callThroughBreaker`);
      }
    }
    for (const match of text.matchAll(/from\s+["']@\/lib\/providers\/(payments|email)\/[^"']+["']|new\s+(FakePaymentsProvider|OutboxEmailProvider)\b/g)) {
      if (!/^from\s+["'][^"']+\/types["']$/.test(match[0])) problems.push(`${file}: ${match[0]}`);
    }
    for (const match of text.matchAll(/\bfetch\s*\(\s*["'`]https?:/g)) problems.push(`${file}: direct ${match[0]}`);
  }
  return problems;
}

describe("provider calls", () => {
  it("none outside lib/breakers and lib/providers bypasses a breaker", () => {
    const files = ROOTS.flatMap(sourceFiles).map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
    expect(files.length).toBeGreaterThan(10);
    expect(findDirectProviderCalls(files)).toEqual([]);
  });

  it("the scan catches a direct call, a bypassing import and a raw fetch", () => {
    const bad = [
      { file: path.join("lib", "x", "a.ts"), text: "await providers.payments.charge({ amountCents: 1 })" },
      { file: path.join("lib", "x", "b.ts"), text: 'import { FakePaymentsProvider } from "@/lib/providers/payments/fake";' },
      { file: path.join("lib", "x", "c.ts"), text: 'await fetch("https://api.stripe.com/v1/charges")' },
      { file: path.join("lib", "x", "d.ts"), text: 'await callThroughBreaker("email", () => providers.email.send(m)); providers.email.send(m2);' },
    ];
    expect(findDirectProviderCalls(bad)).toHaveLength(4);
    const good = [{ file: path.join("lib", "x", "e.ts"), text: 'await callThroughBreaker("payments", () =>\n  providers.payments.charge({ a: f(1) }),\n);' }];
    expect(findDirectProviderCalls(good)).toEqual([]);
  });
});
