// The admin area as a whole: which of its sections a viewer may open. Its reads live in ./queries.
export { sectionsVisibleTo, type AdminSection } from "./sections";
export type { IncidentGlance } from "./glance";
