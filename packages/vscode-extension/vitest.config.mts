import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      // The extension host provides `vscode` at run time; tests get jest-mock-vscode's mock,
      // completed with the few APIs it leaves out (see the module for which).
      vscode: fileURLToPath(new URL("./test/support/vscode.ts", import.meta.url)),
    },
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
