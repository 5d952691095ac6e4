// Operator CLI: `npm run ops -- <group> <command> [args]`. Works straight against the
// database, so it keeps working when the web app is down.
import { claimPgliteFolder, closeDb } from "@/lib/database";
import { env } from "@/lib/env";
import { commands } from "./ops/registry";

const [group, ...args] = process.argv.slice(2);
const command = group ? commands[group] : undefined;
if (!command) {
  console.log("Usage: npm run ops -- <command> ...\n");
  for (const [name, c] of Object.entries(commands)) console.log(`  ${name.padEnd(12)} ${c.summary}`);
  process.exit(group ? 2 : 0);
}
try {
  // An embedded database is one process's at a time: hold it for the whole command, or say who does.
  if (!env.DATABASE_URL && env.PGLITE_DIR !== "memory://") claimPgliteFolder(env.PGLITE_DIR, { holder: "the ops CLI (npm run ops)" });
  process.exitCode = (await command.run(args)) ?? 0;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDb();
}
