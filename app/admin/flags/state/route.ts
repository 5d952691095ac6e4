import { NextResponse } from "next/server";
import { getSessionUser, hasPermission } from "@/lib/auth";
import { getKillSwitchStates, refreshFlagSnapshot } from "@/lib/flags";
import { instanceId } from "@/lib/flags/store";

// Read per request, never cached: this is how an operator (or the propagation test) sees what an instance serves.
export const dynamic = "force-dynamic";

export async function GET() {
  const user = await getSessionUser();
  const snapshot = await refreshFlagSnapshot();
  const states = await getKillSwitchStates();
  const paused = states.filter((s) => !s.on).map((s) => s.key);
  const staff = user !== null && hasPermission(user.role, "admin:read");
  // Which paths are paused is public (the status page shows it); who changed what is for staff.
  const body = staff
    ? { instance: instanceId(), version: snapshot?.version ?? -1, paused, killSwitches: states }
    : { instance: instanceId(), version: snapshot?.version ?? -1, paused };
  return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
}
