import fs from "node:fs";
import path from "node:path";

/**
 * One writer per embedded database. A PGlite data folder may be open in one
 * process at a time: a second process opening it works on its own copy in
 * memory, so its changes are never seen by the first and the two can
 * corrupt the folder when both write it back. Whoever opens a folder first
 * writes `<folder>.lock` beside it, naming itself; everyone else is refused
 * with a sentence that says who holds it and what to do instead.
 *
 * `npm run dev` holds the lock for the whole session and hands the Next.js
 * server it starts a share token, so that one server (and nothing else) may
 * open the folder alongside it.
 */
export type FolderClaim = {
  /** Who holds the folder, as a person would name it: "the dev server (npm run dev)". */
  holder: string;
  /** Where the holder answers, when it is a server. */
  url?: string;
  /** Lets a process this holder started open the folder too (see `joinToken`). */
  shareToken?: string;
};

/** `members`: processes that joined the claim (the dev command's server), which keep it alive if the holder dies first. */
type LockFile = FolderClaim & { pid: number; since: string; members?: number[] };

export type FolderLock = { file: string; /** False when this process joined someone else's claim. */ owned: boolean; release: () => void };

export class DatabaseInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly lock: LockFile,
    readonly file: string,
  ) {
    const where = lock.url ? ` at ${lock.url}` : "";
    const pids = [lock.pid, ...(lock.members ?? [])].filter(isAlive).join(", ");
    super(
      `The embedded database in ${dir} is open in ${lock.holder} (pid ${pids}${where}); PGlite allows one process per folder, ` +
        `so nothing was done here: a second copy would not be seen by that process and could damage the folder. ` +
        (lock.url ? `Make the change in the running app (${lock.url}/admin), or stop ${lock.holder} first` : `Stop ${lock.holder} first`) +
        `, or run both against Postgres (DATABASE_URL). If no such process is running, delete ${file}.`,
    );
    this.name = "DatabaseInUseError";
  }
}

export function lockFileFor(dir: string): string {
  return `${path.resolve(dir)}.lock`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockFile | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockFile>;
    return typeof parsed.pid === "number" && typeof parsed.holder === "string" ? (parsed as LockFile) : null;
  } catch {
    return null;
  }
}

/** How this process names itself when it takes a folder without saying who it is. */
export function defaultHolder(): string {
  // Next.js renames its server process ("next-server (v16…)"); scripts are named by their file.
  if (process.title && process.title !== "node" && !process.title.includes("/")) return process.title;
  const script = process.argv[1] ? path.relative(process.cwd(), process.argv[1]) : "";
  return script ? `another process (${script})` : "another process";
}

/**
 * Takes the folder for this process, or joins the claim of the process that
 * started it (`joinToken` equal to its share token). Throws DatabaseInUseError
 * when a live process holds it; a lock left by a process that is gone is taken over.
 */
export function claimPgliteFolder(dir: string, claim: FolderClaim = { holder: defaultHolder() }, joinToken?: string): FolderLock {
  const file = lockFileFor(dir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 20; attempt++) {
    const mine: LockFile = { ...claim, pid: process.pid, since: new Date().toISOString() };
    try {
      // `wx`: of two processes racing for the folder exactly one creates the file. 0600: it may hold a share token.
      fs.writeFileSync(file, JSON.stringify(mine, null, 2), { flag: "wx", mode: 0o600 });
      const release = () => {
        if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
        process.removeListener("exit", release);
      };
      process.on("exit", release);
      return { file, owned: true, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const current = readLock(file);
    if (current && current.pid === process.pid) return { file, owned: false, release: () => {} };
    if (current && [current.pid, ...(current.members ?? [])].some(isAlive)) {
      if (joinToken && current.shareToken === joinToken) {
        // Joined: named in the lock, so the claim stays alive as long as this process has the folder open.
        fs.writeFileSync(file, JSON.stringify({ ...current, members: [...(current.members ?? []), process.pid] }, null, 2), { mode: 0o600 });
        return { file, owned: false, release: () => {} };
      }
      throw new DatabaseInUseError(dir, current, file);
    }
    if (!current && Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 1_000) {
      // Another process created it a moment ago and is still writing it: look again shortly.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      continue;
    }
    // Left behind by a process that is gone (or half written by one that died): take it over.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the lock ${file}; try again.`);
}
