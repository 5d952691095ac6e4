import { auditCommand } from "./audit";
import { breakersCommand } from "./breakers";
import { dbCommand } from "./db";
import { erasuresCommand } from "./erasures";
import { faultsCommand } from "./faults";
import { flagsCommand } from "./flags";
import { jobsCommand } from "./jobs";
import { maintenanceCommand } from "./maintenance";
import { rollbackCommand } from "./rollback";
import type { OpsCommand } from "./command";


/** One entry per command group; each lives in its own file beside this one. */
export const commands: Record<string, OpsCommand> = {
  audit: auditCommand,
  breakers: breakersCommand,
  db: dbCommand,
  erasures: erasuresCommand,
  faults: faultsCommand,
  flags: flagsCommand,
  jobs: jobsCommand,
  maintenance: maintenanceCommand,
  rollback: rollbackCommand,
};
