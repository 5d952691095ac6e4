"use server";

import { createIncident as createIncidentAction, discardIncident as discardIncidentAction, scheduleMaintenance as scheduleMaintenanceAction, updateIncident as updateIncidentAction } from "@/lib/status/actions";
import { serverAction } from "@/lib/web";

export const createIncident = serverAction(createIncidentAction);
export const updateIncident = serverAction(updateIncidentAction);
export const discardIncident = serverAction(discardIncidentAction);
export const scheduleMaintenance = serverAction(scheduleMaintenanceAction);
