// Actions live in ./actions and page reads in ./queries (import those from "@/lib/projects/actions" / "/queries"): the guarded path must not be imported back through this face.
export { listProjects, findProject, listTasks, listTrash, countLiveProjects } from "./reads";
