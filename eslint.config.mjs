import coreWebVitals from "eslint-config-next/core-web-vitals";
import typescript from "eslint-config-next/typescript";

const config = [
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      "node_modules/**",
      "db/migrations/**",
      ".tmp/**",
      ".data/**",
      "next-env.d.ts",
      "bench/results.json",
      "test-results/**",
      "playwright-report/**",
      "e2e/.auth/**",
    ],
  },
  ...coreWebVitals,
  ...typescript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  // ── Boundaries. Dependencies point one way: app → components → lib → db. ──────────────────────────
  {
    // Routes and UI read and write only through procedures: no database handle, no hand-made permission check.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@/lib/auth",
              importNames: ["userWithPermission", "requireUser", "getSessionUser", "hasPermission"],
              message: "Pages don't check roles: declare the permission on a query (lib/<capability>/queries.ts) and call loadPage.",
            },
          ],
          patterns: [
            { group: ["@/db", "@/db/*", "@/lib/database", "@/lib/database/*"], message: "Pages never hold a database handle: read through a query (defineQuery) and loadPage/routeQuery." },
            {
              group: ["@/lib/*/*", "!@/lib/*/actions", "!@/lib/*/queries", "!@/lib/*/constants", "!@/lib/env/client", "!@/lib/safety/result", "!@/lib/auth/next", "!@/lib/jobs/server"],
              message: "Import a capability through its face: @/lib/<capability>, its procedures @/lib/<capability>/actions|queries, or its client-safe constants.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/app/*"], message: "components/ must not import from app/: pass server actions in as props or colocate the component with its route." },
            { group: ["@/db", "@/db/*", "@/lib/database", "@/lib/database/*"], message: "Components never hold a database handle." },
            { group: ["@/lib/*/*", "!@/lib/*/actions", "!@/lib/*/queries", "!@/lib/*/constants", "!@/lib/env/client", "!@/lib/safety/result"], message: "Import a capability through its face." },
          ],
        },
      ],
    },
  },
  {
    // A capability uses another only through its face (index.ts). Procedures (actions, queries) are entry points:
    // routes, scripts and jobs call them, capability internals never do.
    files: ["lib/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "lib/procedures.ts", "lib/web.ts", "lib/database/**", "lib/*/actions.ts", "lib/*/actions/**", "lib/*/queries.ts", "lib/*/jobs.ts", "lib/jobs/registry.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/app/*", "@/components/*"], message: "lib/ must not import from app/ or components/." },
            { group: ["@/lib/*/*", "!@/lib/env/client"], message: "Import another capability through its face, @/lib/<capability>; inside a capability use relative paths." },
            { group: ["@/lib/procedures", "@/lib/web"], message: "Capability internals don't run procedures; declare them in actions.ts or queries.ts." },
            { group: ["@/db/client", "@/db/read-only"], message: "Use @/lib/database for the handle and its types." },
          ],
        },
      ],
    },
  },
  {
    // Entry points inside lib: procedure faces and jobs may also call other capabilities' procedures and the Next.js session.
    files: ["lib/*/actions.ts", "lib/*/actions/**/*.ts", "lib/*/queries.ts", "lib/*/jobs.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/app/*", "@/components/*"], message: "lib/ must not import from app/ or components/." },
            { group: ["@/lib/*/*", "!@/lib/*/actions", "!@/lib/auth/next", "!@/lib/env/client"], message: "Import another capability through its face, @/lib/<capability>, or its procedures." },
            { group: ["@/db/client", "@/db/read-only"], message: "Use @/lib/database for the handle and its types." },
          ],
        },
      ],
    },
  },
  {
    // The job registry is a composition root: it lists every capability's jobs.
    files: ["lib/jobs/registry.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["@/lib/*/*", "!@/lib/*/jobs"], message: "The registry imports jobs, nothing else deep." }] }] },
  },
  {
    // The kernel knows no capability: guards are links the composition root (lib/procedures.ts) hands it.
    files: ["lib/safety/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/lib/*", "@/lib/**", "@/app/*", "@/components/*"], message: "lib/safety imports no capability." }] }],
    },
  },
  {
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/lib/*", "@/lib/**", "@/app/*", "@/components/*"], message: "db/ is the bottom layer: it imports nothing from lib/, app/ or components/." }] }],
    },
  },
  {
    // Configuration is read and validated in one place.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}", "db/**/*.ts", "proxy.ts"],
    ignores: ["lib/env/**", "**/*.test.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration from @/lib/env (server) or @/lib/env/client, where it is validated." }],
    },
  },
  {
    // No import cycles between files, anywhere in the app.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}", "db/**/*.ts", "scripts/**/*.ts"],
    ignores: ["**/*.test.ts"],
    // Packages are not parsed: a cycle can only run through our own files.
    settings: { "import/ignore": ["node_modules"] },
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Tool config files conventionally `export default { ... }`.
    files: ["*.config.{js,mjs,cjs,ts}"],
    rules: { "import/no-anonymous-default-export": "off" },
  },
  {
    // Playwright fixtures use a parameter named `use`, which the React hooks rule mistakes for React's use().
    files: ["e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
