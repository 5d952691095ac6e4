import { NextResponse } from "next/server";
import { env } from "@/lib/env";

// Liveness: answers without touching any dependency, so a slow database can't make the process look dead.
export function GET() {
  return NextResponse.json({ status: "ok", version: env.appVersion, time: new Date().toISOString() }, { headers: { "Cache-Control": "no-store" } });
}

export const dynamic = "force-dynamic";
