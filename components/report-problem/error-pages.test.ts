import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import GlobalError from "@/app/global-error";
import NotFound from "@/app/not-found";

// The root error page replaces the root layout (footer included), so it must bring its own report button.
describe("error pages", () => {
  it("the root error page renders a whole document with the error id and its own report button", () => {
    const error = Object.assign(new Error("layout failed"), { digest: "1234567890" });
    const html = renderToStaticMarkup(createElement(GlobalError, { error, reset: () => {} }));
    expect(html).toMatch(/^<html lang="en">/);
    expect(html).toContain('<code data-testid="error-id">1234567890</code>');
    expect(html).toMatch(/<button type="button"[^>]*>Report a problem<\/button>/);
    expect(html).toMatch(/<button type="button"[^>]*>Report this problem<\/button>/);
    expect(html).toMatch(/<dialog[^>]*aria-labelledby="[^"]+"/);
  });

  it("the not-found page offers a pre-filled report", () => {
    const html = renderToStaticMarkup(createElement(NotFound));
    expect(html).toContain("Page not found");
    expect(html).toMatch(/<button type="button"[^>]*>Report a broken link<\/button>/);
  });
});
