import type { Provider, ResolutionDetails } from "@openfeature/server-sdk";

/** The OpenFeature peer the flag provider is measured against: answers every flag with its default, doing nothing. */
export class ConstantProvider implements Provider {
  readonly metadata = { name: "constant" } as const;
  readonly runsOn = "server" as const;
  async resolveBooleanEvaluation(_: string, value: boolean): Promise<ResolutionDetails<boolean>> {
    return { value, reason: "STATIC" };
  }
  async resolveStringEvaluation(_: string, value: string): Promise<ResolutionDetails<string>> {
    return { value, reason: "STATIC" };
  }
  async resolveNumberEvaluation(_: string, value: number): Promise<ResolutionDetails<number>> {
    return { value, reason: "STATIC" };
  }
  async resolveObjectEvaluation<T>(_: string, value: T): Promise<ResolutionDetails<T>> {
    return { value, reason: "STATIC" } as ResolutionDetails<T>;
  }
}
