export { createProject, renameProject, deleteProject } from "./actions";
export { listProjects, findProject } from "./queries";
