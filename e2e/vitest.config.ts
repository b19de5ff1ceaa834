import { defineConfig } from "vitest/config";

// One file, steps in order, one browser and one code-server: the run is a user's session.
export default defineConfig({
  test: {
    include: ["test/**/*.e2e.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ["verbose"],
  },
});
