import { faultsCommand } from "./faults";

export type OpsCommand = {
  summary: string;
  /** Returns the process exit code (0 when omitted). */
  run: (args: string[]) => Promise<number | void>;
};

/** One entry per command group; each lives in its own file beside this one. */
export const commands: Record<string, OpsCommand> = {
  faults: faultsCommand,
};
