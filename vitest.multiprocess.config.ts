import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// `npm run test:multiprocess` (scripts/test-multiprocess.sh): app servers and workers as separate processes on
// PostgreSQL (TEST_PG_URL: the template and the test's database are made there) and Redis (REDIS_URL).
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/multiprocess/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-file.ts"],
    pool: "forks",
    testTimeout: 900_000,
    hookTimeout: 120_000,
  },
});
