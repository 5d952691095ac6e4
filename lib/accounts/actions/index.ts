/**
 * The accounts capability's mutations, each a guarded action: the account's
 * own lifecycle (deactivate, delete, export, restore) and staff's (cancel a
 * deletion, purge, replay erasures) in ./lifecycle, legal holds in ./legal-holds.
 */
export * from "./lifecycle";
export { liftLegalHold, placeLegalHold } from "./legal-holds";
