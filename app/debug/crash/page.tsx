import { notFound } from "next/navigation";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

// A deliberate server error, so tests can check what a user sees when a page crashes. Never in production.
export default async function CrashPage() {
  if (env.appEnv === "production") notFound();
  throw new Error("Deliberate crash from /debug/crash");
}
