import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Tests that need a real Redis (REDIS_URL). .ci/run starts redis-server on loopback first.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.bull.test.ts", "tests/integration/**/*.bull.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-file.ts"],
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
