// Builds the extension's three bundles:
//   dist/extension.js  the extension (CommonJS, what VS Code loads; `vscode` is external)
//   dist/core.js       @evo-sessions/core, required on first use of any of its exports
//   dist/analytics.js  core's analytics, the dashboard and callbacks (CommonJS, required lazily)
//   dist/sandbox.js    the sandbox, loaded by "Try the sandbox" only (CommonJS, required lazily)
//   dist/mcp-server.mjs the MCP server VS Code's chat starts as a child process (ES module)
// `--production` minifies and drops source maps; `--metafile` writes dist/meta-*.json for size work.
// `--outdir <dir>` builds elsewhere than dist/ (tests and benchmarks), so they never delete the
// dist/evo-sessions.vsix another process (the e2e run) may be installing.
import { build } from "esbuild";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes("--production");
const writeMeta = process.argv.includes("--metafile");
const outdirFlag = process.argv.findIndex(
  (arg) => arg === "--outdir" || arg.startsWith("--outdir="),
);
const outdirArg =
  outdirFlag < 0
    ? undefined
    : process.argv[outdirFlag].includes("=")
      ? process.argv[outdirFlag].slice("--outdir=".length)
      : process.argv[outdirFlag + 1];
if (outdirFlag >= 0 && !outdirArg) {
  console.error("--outdir needs a directory, e.g. --outdir /tmp/evo-build/dist");
  process.exit(1);
}
const dist = outdirArg === undefined ? join(root, "dist") : resolve(outdirArg);

/** The extension imports `@evo-sessions/sandbox` dynamically; at run time that is ./sandbox.js. */
const lazySandbox = {
  name: "lazy-sandbox",
  setup(builder) {
    builder.onResolve({ filter: /^@evo-sessions\/sandbox$/ }, (args) => {
      if (args.kind !== "dynamic-import") {
        return {
          errors: [
            {
              text: "Import @evo-sessions/sandbox only with `await import(...)` (or `import type`) so it stays out of the main bundle.",
            },
          ],
        };
      }
      return { path: "./sandbox.js", external: true };
    });
  },
};

/**
 * Core (its zod schemas and libphonenumber-js are most of its size) is its own chunk,
 * dist/core.js, required on first use: the extension and analytics bundles get a stand-in whose
 * exports are getters that load the chunk when one is first read. Signed out with no saved
 * filters, activation reads none, so VS Code starts the extension without parsing core; the
 * first sign-in, saved filter or session loads it. One copy of core for every chunk, so
 * `instanceof` on its errors holds across them.
 */
const coreExports = Object.keys(await import("@evo-sessions/core"));
const lazyCore = {
  name: "lazy-core",
  setup(builder) {
    builder.onResolve({ filter: /^@evo-sessions\/core$/ }, () => ({
      path: "core-stand-in",
      namespace: "lazy-core",
    }));
    // The stand-in's require of the chunk stays a require, resolved beside the bundle at run time.
    builder.onResolve({ filter: /^\.\/core\.js$/, namespace: "lazy-core" }, (args) => ({
      path: args.path,
      external: true,
    }));
    builder.onLoad({ filter: /.*/, namespace: "lazy-core" }, () => ({
      contents: [
        "let core;",
        'const load = () => (core ??= require("./core.js"));',
        `for (const name of ${JSON.stringify(coreExports)})`,
        "  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });",
      ].join("\n"),
      loader: "js",
    }));
  },
};

/**
 * Core's analytics (and libphonenumber-js behind them) are used only by the dashboard and the
 * Callbacks view: src/dashboard/analytics-chunk.ts is its own bundle, dist/analytics.js, which
 * the extension imports dynamically; at run time that is ./analytics.js.
 */
const lazyAnalytics = {
  name: "lazy-analytics",
  setup(builder) {
    builder.onResolve({ filter: /(^|[\\/])analytics-chunk\.js$/ }, (args) => {
      if (args.kind !== "dynamic-import") {
        return {
          errors: [
            {
              text: "Import analytics-chunk.js only with `await import(...)` (or `import type`) so it stays out of the main bundle.",
            },
          ],
        };
      }
      return { path: "./analytics.js", external: true };
    });
  },
};

/**
 * zod re-exports ~40 translations of its messages (about 250 kB minified) that a namespace
 * import keeps in the bundle; every message here is English, so only `en` is kept.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return {
        path: join(dirname(args.importer), "../locales/index.js"),
        namespace: "zod-locales",
      };
    });
    builder.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * VS Code's extension host replaces the `navigator` global with a getter that logs a
 * PendingMigrationError on every read; zod reads it once at load (to spot Cloudflare Workers),
 * which put an error in the extension host log of every activation. Nothing here runs in a
 * browser, so `navigator` is compiled away as undefined.
 */
const noNavigator = { navigator: "undefined" };

const common = {
  bundle: true,
  define: noNavigator,
  platform: "node",
  target: "node20",
  minify: production,
  sourcemap: production ? false : "linked",
  legalComments: "none",
  logLevel: "warning",
  metafile: writeMeta,
};

/**
 * The file a package specifier names, resolved through the package's `exports` as Node resolves
 * it (so the bundle follows what each package declares public, never a path into its dist/).
 */
function entryOf(specifier, packageDir) {
  try {
    const file = fileURLToPath(import.meta.resolve(specifier));
    if (!existsSync(file))
      throw Object.assign(new Error(`${file} is missing`), { code: "missing" });
    return file;
  } catch (error) {
    console.error(
      `Cannot resolve ${specifier} (${error.code ?? error.message}): build it first (cd packages/${packageDir} && npx tsc -p tsconfig.build.json).`,
    );
    process.exit(1);
  }
}

const sandboxEntry = entryOf("@evo-sessions/sandbox", "sandbox");
const mcpEntry = entryOf("@evo-sessions/mcp-server/cli", "mcp-server");

// dist/ is ours to empty; a directory named by --outdir is only written into.
if (outdirArg === undefined) await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const results = await Promise.all([
  build({
    ...common,
    entryPoints: { extension: join(root, "src/extension.ts") },
    outdir: dist,
    format: "cjs",
    external: ["vscode"],
    plugins: [lazySandbox, lazyAnalytics, lazyCore],
    // Turns `await import("./sandbox.js")` into a lazy require: the plain CommonJS loading every
    // VS Code extension host supports.
    supported: { "dynamic-import": false },
  }),
  build({
    ...common,
    entryPoints: { analytics: join(root, "src/dashboard/analytics-chunk.ts") },
    outdir: dist,
    format: "cjs",
    external: ["vscode"],
    plugins: [lazyCore],
  }),
  build({
    ...common,
    entryPoints: { core: entryOf("@evo-sessions/core", "core") },
    outdir: dist,
    format: "cjs",
    plugins: [zodEnglishOnly],
  }),
  build({
    ...common,
    entryPoints: { sandbox: sandboxEntry },
    outdir: dist,
    format: "cjs",
    plugins: [zodEnglishOnly],
  }),
  build({
    ...common,
    entryPoints: { "mcp-server": mcpEntry },
    outdir: dist,
    // The CLI runs its main() when it is the process's entry script, which it checks with
    // import.meta.url: keep it an ES module, with `require` for the CommonJS dependencies.
    format: "esm",
    plugins: [zodEnglishOnly],
    outExtension: { ".js": ".mjs" },
    banner: {
      js: 'import { createRequire as __evoCreateRequire } from "node:module"; const require = __evoCreateRequire(import.meta.url);',
    },
  }),
]);

if (writeMeta) {
  const names = ["extension", "analytics", "core", "sandbox", "mcp-server"];
  await Promise.all(
    results.map((result, index) =>
      writeFile(join(dist, `meta-${names[index]}.json`), JSON.stringify(result.metafile)),
    ),
  );
}
