// Scripts (the ops CLI, seeding, benches) run server modules outside Next.js. Those modules
// `import "server-only"`, which throws anywhere but a React Server Components bundle; for a
// script that is exactly where it runs, so the marker resolves to an empty module here.
import { register } from "node:module";

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,", format: "module", shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
