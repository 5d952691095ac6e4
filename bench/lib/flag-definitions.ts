import type { EnvironmentState, FlagDefinition } from "@/lib/flags/model";

/** A boolean release flag, the same state in every environment: the shape the flag benches evaluate. */
export function releaseFlag(key: string, state: EnvironmentState): FlagDefinition {
  return {
    key,
    kind: "release",
    valueType: "boolean",
    variants: [],
    defaultValue: false,
    offValue: false,
    prerequisites: [],
    seed: "",
    whenUnknown: false,
    environments: { development: state, preview: state, production: state },
  };
}
