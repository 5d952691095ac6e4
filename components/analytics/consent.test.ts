import { afterEach, describe, expect, it, vi } from "vitest";
import { CONSENT_COOKIE, doNotTrack, readConsent } from "./consent";

afterEach(() => vi.unstubAllGlobals());

describe("analytics consent", () => {
  it("reads only an explicit choice from the cookie", () => {
    vi.stubGlobal("document", { cookie: `a=1; ${CONSENT_COOKIE}=granted; b=2` });
    expect(readConsent()).toBe("granted");
    vi.stubGlobal("document", { cookie: `${CONSENT_COOKIE}=denied` });
    expect(readConsent()).toBe("denied");
    vi.stubGlobal("document", { cookie: `${CONSENT_COOKIE}=yes-please` });
    expect(readConsent()).toBeNull();
    vi.stubGlobal("document", { cookie: "" });
    expect(readConsent()).toBeNull();
  });

  it("treats Do Not Track and Global Privacy Control as no", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("navigator", { doNotTrack: "1" });
    expect(doNotTrack()).toBe(true);
    vi.stubGlobal("navigator", { globalPrivacyControl: true });
    expect(doNotTrack()).toBe(true);
    vi.stubGlobal("navigator", { doNotTrack: "unspecified" });
    expect(doNotTrack()).toBe(false);
  });
});
