"use server";

import * as projects from "@/lib/projects/actions";
import { serverAction } from "@/lib/safety/next";

export const createProject = serverAction(projects.createProject);
export const renameProject = serverAction(projects.renameProject);
export const deleteProject = serverAction(projects.deleteProject);
