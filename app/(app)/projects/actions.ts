"use server";

import * as accounts from "@/lib/accounts/actions";
import * as projects from "@/lib/projects/actions";
import { serverAction } from "@/lib/web";

export const createProject = serverAction(projects.createProject);
export const renameProject = serverAction(projects.renameProject);
export const deleteProject = serverAction(projects.deleteProject);
export const restoreProject = serverAction(projects.restoreProject);
export const purgeProject = serverAction(projects.purgeProject);
export const emptyTrash = serverAction(projects.emptyTrash);
export const createTask = serverAction(projects.createTask);
export const deleteTask = serverAction(projects.deleteTask);
export const requestConfirmation = serverAction(accounts.requestConfirmation);
