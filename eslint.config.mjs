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
  {
    // Dependencies point one way: app → components → lib → db (DESIGN.md).
    files: ["lib/**/*.{ts,tsx}", "db/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "@/components/*"], message: "lib/ and db/ must not import from app/ or components/." }] }],
    },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*"], message: "components/ must not import from app/: pass server actions in as props or colocate the component with its route." }] }],
    },
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
