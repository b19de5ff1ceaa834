import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      // The client's tests run against the sandbox, which itself depends on core: a package
      // dependency would be a cycle, so tests reach the sandbox's built entry point instead
      // (turbo.json builds it before core's tests).
      "@evo-sessions/sandbox": fileURLToPath(new URL("../sandbox/dist/index.js", import.meta.url)),
    },
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
