// Bundle sizes and activation time of the production build, as `name: value` lines.
//   node bench/run.mjs [--runs N]
// Activation is measured the way VS Code does it: require dist/extension.js (with a stand-in
// `vscode` module) and await activate(); each run loads the bundle afresh.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import Module, { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createVSCodeMock } from "jest-mock-vscode";

const root = fileURLToPath(new URL("..", import.meta.url));
// Built in a temporary folder: dist/ (and the .vsix in it) stays as it is.
const buildRoot = mkdtempSync(join(tmpdir(), "evo-sessions-bench-"));
const dist = join(buildRoot, "dist");
process.on("exit", () => rmSync(buildRoot, { recursive: true, force: true }));
const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 30;

execFileSync(process.execPath, [join(root, "esbuild.mjs"), "--production", "--outdir", dist], {
  cwd: root,
  stdio: "inherit",
});

const sizes = {};
for (const file of ["extension.js", "core.js", "analytics.js", "sandbox.js", "mcp-server.mjs"]) {
  const bytes = readFileSync(join(dist, file));
  const name = file.replace(/\.m?js$/, "");
  sizes[name] = bytes.length;
  console.log(`bundle_${name}_bytes: ${bytes.length}`);
  console.log(`bundle_${name}_gzip_bytes: ${gzipSync(bytes).length}`);
}
// What loading the sandbox lazily saves everyone who never tries it.
console.log(
  `bundle_extension_vs_extension_plus_sandbox_ratio: ${(sizes.extension / (sizes.extension + sizes.sandbox)).toFixed(3)}`,
);

// ---- a stand-in `vscode`: jest-mock-vscode without a test framework, plus the APIs it stubs ----
function createVscode() {
  const fn = (implementation) => implementation ?? (() => undefined);
  const vscode = createVSCodeMock({ fn });
  const { EventEmitter, Disposable } = vscode;
  const handlers = new Map();
  vscode.commands.registerCommand = (id, handler) => {
    handlers.set(id, handler);
    return new Disposable(() => handlers.delete(id));
  };
  vscode.commands.executeCommand = async (id, ...args) => handlers.get(id)?.(...args);
  vscode.window.createTreeView = () => ({
    visible: true,
    onDidChangeVisibility: new EventEmitter().event,
    dispose() {},
  });
  vscode.window.withProgress = async (_options, task) => task({ report() {} }, {});
  vscode.workspace.onDidChangeConfiguration = new EventEmitter().event;
  vscode.workspace.registerTextDocumentContentProvider = () => new Disposable(() => {});
  vscode.lm = { registerMcpServerDefinitionProvider: () => new Disposable(() => {}) };
  vscode.McpStdioServerDefinition = class {
    constructor(label, command, args, env, version) {
      Object.assign(this, { label, command, args, env, version });
    }
  };
  return vscode;
}

function createContext(vscode) {
  const memento = () => {
    const values = new Map();
    return {
      keys: () => [...values.keys()],
      get: (k, d) => values.get(k) ?? d,
      update: async (k, v) => void values.set(k, v),
    };
  };
  return {
    subscriptions: [],
    workspaceState: memento(),
    globalState: memento(),
    secrets: {
      get: async () => undefined,
      store: async () => {},
      delete: async () => {},
      onDidChange: new vscode.EventEmitter().event,
    },
    extensionUri: vscode.Uri.file(buildRoot),
  };
}

const loader = Module;
const originalLoad = loader._load;
const require = createRequire(import.meta.url);
const bundlePath = join(dist, "extension.js");
const requireTimes = [];
const activateTimes = [];
for (let run = 0; run < runs; run++) {
  const vscode = createVscode();
  loader._load = function (request, parent, isMain) {
    return request === "vscode" ? vscode : originalLoad.call(this, request, parent, isMain);
  };
  // Every chunk afresh, as in a new extension host: a chunk activation loads is counted.
  for (const chunk of ["extension.js", "core.js", "analytics.js"])
    delete require.cache[join(dist, chunk)];
  const t0 = performance.now();
  const extension = require(bundlePath);
  const t1 = performance.now();
  const context = createContext(vscode);
  await extension.activate(context);
  const t2 = performance.now();
  extension.deactivate();
  for (const subscription of context.subscriptions) subscription.dispose();
  requireTimes.push(t1 - t0);
  activateTimes.push(t2 - t1);
}
loader._load = originalLoad;
// 1 when activating (signed out, nothing saved) loaded core's chunk, which it should not need.
console.log(`activation_loads_core: ${require.cache[join(dist, "core.js")] === undefined ? 0 : 1}`);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
// The first run includes compiling the bundle from cold; later runs hit V8's code cache less.
console.log(`activation_runs: ${runs}`);
console.log(`activation_first_require_ms: ${requireTimes[0].toFixed(2)}`);
console.log(`activation_first_activate_ms: ${activateTimes[0].toFixed(2)}`);
console.log(`activation_require_median_ms: ${median(requireTimes).toFixed(2)}`);
console.log(`activation_activate_median_ms: ${median(activateTimes).toFixed(2)}`);
console.log(
  `activation_total_median_ms: ${median(requireTimes.map((t, i) => t + activateTimes[i])).toFixed(2)}`,
);
