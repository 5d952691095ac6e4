import { describe, expect, it } from "vitest";
import { scrubQueryError } from "./query-errors";
import { DatabaseUnavailableError } from "./watchdog";

// db/ imports nothing from lib/: read the kernel's brand directly, walking the cause chain as the guarded path does.
const BRAND = Symbol.for("breakwater.error-code");
function errorCodeOf(error: unknown): unknown {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as Record<symbol, unknown>)[BRAND];
    if (code) return code;
  }
  return null;
}

function failedQuery(cause: Error) {
  return Object.assign(new Error("Failed query: select * from users where email = $1\nparams: someone@example.test"), { cause, params: ["someone@example.test"] });
}

describe("scrubbing a failed query's values", () => {
  it("keeps the result code its cause carries, so an outage met by any query still reads as dependency_down", () => {
    const scrubbed = scrubQueryError(failedQuery(new DatabaseUnavailableError("it stopped answering")), "select * from users where email = $1", ["someone@example.test"]);
    expect(errorCodeOf(scrubbed)).toBe("dependency_down");
    expect((scrubbed as Error).message).not.toContain("someone@example.test");
  });

  it("keeps the driver's error code and drops the bound values", () => {
    const driver = Object.assign(new Error('duplicate key: Key (email)=(someone@example.test) already exists'), { code: "23505", detail: "Key (email)=(someone@example.test) already exists" });
    const scrubbed = scrubQueryError(failedQuery(driver), "insert into users (email) values ($1)", ["someone@example.test"]) as Error & { cause: Error & { code: string; detail: string } };
    expect(scrubbed.cause.code).toBe("23505");
    expect(JSON.stringify([scrubbed.message, scrubbed.cause.message, scrubbed.cause.detail])).not.toContain("someone@example.test");
  });
});
