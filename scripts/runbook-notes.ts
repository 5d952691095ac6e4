// Rewrites lib/runbooks/code-notes.generated.ts from the runbook notes in the code; fails on a missing or broken note.
import fs from "node:fs";
import path from "node:path";
import { renderIndex, scanRepository } from "./lib/code-notes";

const root = process.cwd();
const { problems, notes } = scanRepository(root);
for (const p of problems) console.error(`${p.file}:${p.line} ${p.problem}`);
fs.writeFileSync(path.join(root, "lib", "runbooks", "code-notes.generated.ts"), renderIndex(notes));
console.log(`${notes.length} runbook notes indexed${problems.length > 0 ? `; ${problems.length} problem(s) above` : ""}.`);
process.exitCode = problems.length > 0 ? 1 : 0;
