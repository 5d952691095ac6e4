import { NextRequest } from "next/server";
import { expect, it, vi } from "vitest";

// A deployment without the Flags SDK's key (the SDK throws reading an override cookie it cannot decrypt).
vi.hoisted(() => void delete process.env.FLAGS_SECRET);

it("without FLAGS_SECRET, a visitor's Flags Explorer cookie never reaches the app; their other cookies do", async () => {
  const { proxy } = await import("./proxy");
  const request = new NextRequest("http://localhost/billing", { headers: { cookie: "a=1; vercel-flag-overrides=anything; b=2" } });
  const response = await proxy(request);
  // What Next hands the page as the request's cookies.
  expect(response.headers.get("x-middleware-request-cookie")).toBe("a=1; b=2");
});
