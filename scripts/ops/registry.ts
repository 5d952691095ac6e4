import { auditCommand } from "./audit";
import { breakersCommand } from "./breakers";
import { dbCommand } from "./db";
import { erasuresCommand } from "./erasures";
import { faultsCommand } from "./faults";
import { flagsCommand } from "./flags";
import { jobsCommand } from "./jobs";

export type OpsCommand = {
  summary: string;
  /** Returns the process exit code (0 when omitted). */
  run: (args: string[]) => Promise<number | void>;
};

/** One entry per command group; each lives in its own file beside this one. */
export const commands: Record<string, OpsCommand> = {
  audit: auditCommand,
  breakers: breakersCommand,
  db: dbCommand,
  erasures: erasuresCommand,
  faults: faultsCommand,
  flags: flagsCommand,
  jobs: jobsCommand,
};
