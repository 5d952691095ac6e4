/** Stable id for anonymous visitors, so a percentage rollout is sticky before sign-in too. */
export const ANONYMOUS_ID_COOKIE = "breakwater_anon_id";
