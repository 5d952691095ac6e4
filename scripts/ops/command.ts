/** One ops CLI command group (`npm run ops -- <group> ...`). */
export type OpsCommand = {
  summary: string;
  /** The words the group accepts first (`flags set`, `jobs run`); absent when it takes only options (`rollback --since`). The runbook sync test checks every command a runbook names against them. */
  verbs?: readonly string[];
  /** Returns the process exit code (0 when omitted). */
  run: (args: string[]) => Promise<number | void>;
};
