export * from "./users";
export * from "./projects";
export * from "./billing";
export * from "./notifications";
export * from "./audit";
