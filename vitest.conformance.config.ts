import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Conformance against real third-party samples in ../shared/fixtures (not copied into the repo).
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/conformance/**/*.test.ts", "sandbox/amazon/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-file.ts"],
    pool: "forks",
    testTimeout: 60_000,
  },
});
