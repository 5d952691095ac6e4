import "server-only";
import { eq } from "drizzle-orm";
import { emailOptOuts } from "@/db/schema";
import { getDb, type Executor } from "@/lib/database";
import { env } from "@/lib/env";
import { unsubscribeToken } from "./message-id";
import { isOptional } from "./templates";
import type { EmailMessage } from "./types";

/** The List-Unsubscribe link of a message, or null when the message is not optional (account, billing, operator mail). */
export function unsubscribeUrlFor(message: Pick<EmailMessage, "to" | "template">): string | null {
  if (!isOptional(message.template)) return null;
  const url = new URL("/email/unsubscribe", env.appUrl);
  url.searchParams.set("email", message.to);
  url.searchParams.set("token", unsubscribeToken(message.to, env.authSecret));
  return url.toString();
}

/** True when this optional message goes to someone who opted out; other mail always goes. */
export async function suppressedByOptOut(message: Pick<EmailMessage, "to" | "template">, db?: Executor): Promise<boolean> {
  if (!isOptional(message.template)) return false;
  const [row] = await (db ?? (await getDb())).select().from(emailOptOuts).where(eq(emailOptOuts.email, message.to.trim().toLowerCase()));
  return Boolean(row);
}

export async function recordOptOut(db: Executor, email: string): Promise<void> {
  await db.insert(emailOptOuts).values({ email: email.trim().toLowerCase() }).onConflictDoNothing();
}
