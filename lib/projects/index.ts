export {
  createProject,
  renameProject,
  deleteProject,
  restoreProject,
  purgeProject,
  emptyTrash,
  createTask,
  deleteTask,
  adminRestoreProject,
  purgeExpiredTrash,
} from "./actions";
export { listProjects, findProject, listTasks, listTrash, listAllProjectsForOwner, countLiveProjects } from "./queries";
