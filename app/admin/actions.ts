"use server";

import { setMaintenanceAction } from "@/lib/maintenance/actions";
import { serverAction } from "@/lib/web";

export const setMaintenance = serverAction(setMaintenanceAction);
