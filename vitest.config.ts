import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// `npm test`: unit, route and integration tests. Needs only Node: Redis-backed, browser and
// ../shared conformance suites run under their own configs (see .ci/run). `npm run test:pg` runs the same
// files on PostgreSQL, plus `*.pg.test.ts`: behaviour that only PostgreSQL has (plan caching, pools).
const postgres = Boolean(process.env.TEST_PG_URL);
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "app/**/*.test.tsx", "sandbox/**/*.test.ts", "tests/integration/**/*.test.ts", "scripts/**/*.test.ts"],
    // The Amazon stand-in validates every body against Amazon's schemas in ../shared: its tests run with the conformance suite.
    exclude: ["**/*.bull.test.ts", "**/node_modules/**", "sandbox/amazon/**", ...(postgres ? [] : ["**/*.pg.test.ts"])],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-file.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
