import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The dependency rule is checked here, not left to memory: app/domain is pure (no framework, database,
// queue, Shopify or node I/O), and app/ never reaches into sandbox/.
const DOMAIN_FORBIDDEN = [
  { group: ["@remix-run/*", "@remix-run/**"], message: "app/domain is pure: no Remix." },
  { group: ["pg", "pg-*", "better-sqlite3"], message: "app/domain is pure: no database drivers." },
  { group: ["bull", "bullmq", "ioredis"], message: "app/domain is pure: no queues." },
  { group: ["@shopify/*", "@shopify/**"], message: "app/domain is pure: no Shopify libraries." },
  { group: ["node:fs", "node:fs/*", "fs", "fs/*", "node:net", "net", "node:http", "http", "node:https", "https", "node:child_process", "child_process", "node:dgram", "undici"], message: "app/domain is pure: no I/O." },
  { group: ["**/.server/**", "~/.server/**", "../.server/*"], message: "app/domain must not import app/.server." },
  { group: ["**/sandbox/**"], message: "app/ never imports sandbox/." },
];

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", ".cache/**", ".demo/**", "public/build/**", "extensions/**", "bench/results/**", "bench/.compiled/**", "tests/e2e/artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", URL: "readonly", Response: "readonly", Request: "readonly", Headers: "readonly", fetch: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", Buffer: "readonly", window: "readonly", document: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["app/**/*.ts", "app/**/*.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/sandbox/**", "../../sandbox/*"], message: "app/ never imports sandbox/." }] }] },
  },
  {
    files: ["app/domain/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: DOMAIN_FORBIDDEN }] },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly", __dirname: "readonly" } },
  },
  {
    files: ["sandbox/**/*.js", "public/**/*.js"],
    languageOptions: { sourceType: "script", globals: { window: "readonly", document: "readonly", location: "readonly", history: "readonly", CustomEvent: "readonly", URLSearchParams: "readonly", MutationObserver: "readonly", atob: "readonly", btoa: "readonly", HTMLElement: "readonly", customElements: "readonly", sessionStorage: "readonly", navigator: "readonly" } },
  },
);
