// One OpenFeature measurement in a process of its own; its medians on the last line of stdout as JSON.
import { measureOpenFeature } from "./openfeature-cost";

process.stdout.write(`\n${JSON.stringify(await measureOpenFeature())}\n`);
process.exit(0);
