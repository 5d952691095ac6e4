/**
 * Plain values the flag rules on the server and the admin forms in the
 * browser share. No imports, so a client component can use them without
 * pulling server code or the validation library into its bundle.
 */
export const FLAG_KINDS = ["kill_switch", "release", "experiment", "ops"] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** The kinds an admin may create or edit; kill switches are declared in code. */
export const EDITABLE_FLAG_KINDS = ["release", "experiment", "ops"] as const satisfies readonly FlagKind[];

export const VALUE_TYPES = ["boolean", "string", "number", "json"] as const;
export type FlagValueType = (typeof VALUE_TYPES)[number];

/** Every flag change carries a reason of this length. */
export const REASON_MIN_LENGTH = 3;
export const REASON_MAX_LENGTH = 500;
