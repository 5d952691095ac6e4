import fs from "node:fs";
import path from "node:path";

/**
 * Every URL the app serves, read from the app/ directory the way Next.js maps
 * it: a folder per segment, `(group)` folders leave no trace in the URL,
 * `_private` and `@slot` folders are not routes, `[param]` is a dynamic
 * segment. A page added under app/ shows up here without editing a list.
 */
export type AppRoute = {
  /** The URL pattern, with `[param]` segments as in the folder names: `/admin/users/[id]`. */
  pattern: string;
  kind: "page" | "handler";
  /** The file, relative to the app directory. */
  file: string;
  /** HTTP methods a route handler exports (pages answer GET). */
  methods: string[];
  /** The dynamic segments' names, in order (`...rest` for catch-alls). */
  params: string[];
};

const HANDLER_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function exportedMethods(source: string): string[] {
  return HANDLER_METHODS.filter((m) => new RegExp(`export\\s+(?:const|async\\s+function|function)\\s+${m}\\b|export\\s*\\{[^}]*\\b${m}\\b[^}]*\\}`).test(source));
}

/** The URL pattern of a folder path under app/ (segments as written on disk). */
export function patternOf(segments: string[]): string {
  const kept = segments.filter((s) => !/^\(.*\)$/.test(s));
  return `/${kept.join("/")}`;
}

export function paramsOf(pattern: string): string[] {
  return [...pattern.matchAll(/\[\[?(?:\.\.\.)?([^\]]+)\]\]?/g)].map((m) => m[1]!);
}

/** Walks `appDir` and returns its pages and route handlers, sorted by pattern. */
export function appRoutes(appDir: string): AppRoute[] {
  const found: AppRoute[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        // Private folders and parallel-route slots are not URL segments of their own.
        if (entry.name.startsWith("_") || entry.name.startsWith("@")) continue;
        walk(path.join(dir, entry.name), [...segments, entry.name]);
        continue;
      }
      const match = /^(page|route)\.(tsx|ts|jsx|js|mdx)$/.exec(entry.name);
      if (!match) continue;
      const file = path.relative(appDir, path.join(dir, entry.name)).split(path.sep).join("/");
      const pattern = patternOf(segments);
      const kind = match[1] === "page" ? "page" : "handler";
      const methods = kind === "page" ? ["GET"] : exportedMethods(fs.readFileSync(path.join(dir, entry.name), "utf8"));
      found.push({ pattern, kind, file, methods, params: paramsOf(pattern) });
    }
  };
  walk(appDir, []);
  return found.sort((a, b) => a.pattern.localeCompare(b.pattern));
}
