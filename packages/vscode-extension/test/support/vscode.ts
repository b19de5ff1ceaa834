// The `vscode` module under test (vitest aliases `vscode` here): jest-mock-vscode's mock, plus
// working versions of the APIs the extension uses that the mock leaves as bare stubs or leaves
// out (commands, tree views, progress, content providers, clipboard, `lm`, MCP definitions).
// Every test file gets a fresh copy (vitest isolates modules per file).
import { createTextDocument, createVSCodeMock } from "jest-mock-vscode";
import { vi } from "vitest";
import type * as vscodeTypes from "vscode";

const base = createVSCodeMock(vi) as unknown as typeof vscodeTypes;
const { EventEmitter, Disposable, Uri } = base;

// ---- commands: a real registry; setContext is recorded ----

/** Context keys set through `setContext`. */
export const contextKeys = new Map<string, unknown>();
const registry = new Map<string, (...args: unknown[]) => unknown>();
/** Built-in commands the extension ran (other than setContext), in order. */
export const executedBuiltins: { command: string; args: unknown[] }[] = [];

const commands = {
  registerCommand: vi.fn((id: string, handler: (...args: unknown[]) => unknown) => {
    if (registry.has(id)) throw new Error(`command '${id}' already exists`);
    registry.set(id, handler);
    return new Disposable(() => registry.delete(id));
  }),
  executeCommand: vi.fn(async (id: string, ...args: unknown[]) => {
    if (id === "setContext") {
      contextKeys.set(args[0] as string, args[1]);
      return undefined;
    }
    const handler = registry.get(id);
    if (handler !== undefined) return handler(...args);
    executedBuiltins.push({ command: id, args });
    return undefined;
  }),
  getCommands: vi.fn(async () => [...registry.keys()]),
  registerTextEditorCommand: vi.fn(),
} as unknown as typeof vscodeTypes.commands;

/** IDs of the commands registered now. */
export function registeredCommands(): string[] {
  return [...registry.keys()].sort();
}

// ---- tree views ----

/** The parts of a TreeView tests read and drive. */
export interface FakeTreeView<T> extends vscodeTypes.TreeView<T> {
  readonly id: string;
  readonly provider: vscodeTypes.TreeDataProvider<T>;
  /** Shows or hides the view, firing onDidChangeVisibility. */
  setVisible(visible: boolean): void;
}

/** Tree views created, by view ID. */
export const treeViews = new Map<string, FakeTreeView<unknown>>();

function createTreeView<T>(id: string, options: vscodeTypes.TreeViewOptions<T>): FakeTreeView<T> {
  const visibility = new EventEmitter<vscodeTypes.TreeViewVisibilityChangeEvent>();
  let visible = true;
  const view = {
    id,
    provider: options.treeDataProvider,
    description: undefined as string | undefined,
    message: undefined as string | undefined,
    title: undefined as string | undefined,
    badge: undefined as vscodeTypes.ViewBadge | undefined,
    selection: [] as T[],
    get visible() {
      return visible;
    },
    setVisible(next: boolean) {
      visible = next;
      visibility.fire({ visible: next });
    },
    onDidChangeVisibility: visibility.event,
    onDidExpandElement: new EventEmitter<vscodeTypes.TreeViewExpansionEvent<T>>().event,
    onDidCollapseElement: new EventEmitter<vscodeTypes.TreeViewExpansionEvent<T>>().event,
    onDidChangeSelection: new EventEmitter<vscodeTypes.TreeViewSelectionChangeEvent<T>>().event,
    onDidChangeCheckboxState: new EventEmitter<vscodeTypes.TreeCheckboxChangeEvent<T>>().event,
    reveal: vi.fn(async () => undefined),
    dispose: vi.fn(() => treeViews.delete(id)),
  };
  treeViews.set(id, view as unknown as FakeTreeView<unknown>);
  return view as unknown as FakeTreeView<T>;
}

// ---- window ----

const mockWindow = base.window as unknown as Record<string, unknown>;
mockWindow.createTreeView = vi.fn(createTreeView);
mockWindow.withProgress = vi.fn(
  async (
    _options: unknown,
    task: (progress: { report(): void }, token: vscodeTypes.CancellationToken) => Promise<unknown>,
  ) =>
    task(
      { report: () => undefined },
      { isCancellationRequested: false, onCancellationRequested: new EventEmitter<void>().event },
    ),
);
mockWindow.setStatusBarMessage = vi.fn(() => new Disposable(() => undefined));

// ---- workspace: content providers, configuration events ----

const contentProviders = new Map<string, vscodeTypes.TextDocumentContentProvider>();
const configurationChanged = new EventEmitter<vscodeTypes.ConfigurationChangeEvent>();
const mockWorkspace = base.workspace as unknown as Record<string, unknown>;
const openFile = mockWorkspace.openTextDocument as (
  arg: unknown,
) => Promise<vscodeTypes.TextDocument>;
mockWorkspace.registerTextDocumentContentProvider = vi.fn(
  (scheme: string, provider: vscodeTypes.TextDocumentContentProvider) => {
    contentProviders.set(scheme, provider);
    return new Disposable(() => contentProviders.delete(scheme));
  },
);
mockWorkspace.openTextDocument = vi.fn(async (arg: unknown) => {
  const uri = arg as vscodeTypes.Uri;
  if (typeof arg === "object" && arg !== null && contentProviders.has(uri.scheme)) {
    const provider = contentProviders.get(uri.scheme) as vscodeTypes.TextDocumentContentProvider;
    const text = await provider.provideTextDocumentContent(uri, {
      isCancellationRequested: false,
      onCancellationRequested: new EventEmitter<void>().event,
    });
    return createTextDocument(uri, text ?? "", uri.path.endsWith(".md") ? "markdown" : "plaintext");
  }
  return openFile(arg);
});
mockWorkspace.onDidChangeConfiguration = configurationChanged.event;

/** Changes a setting (global scope) and fires onDidChangeConfiguration like VS Code does. */
export async function changeSetting(key: string, value: unknown): Promise<void> {
  const [section, ...rest] = key.split(".");
  await base.workspace.getConfiguration(section).update(rest.join("."), value, true);
  configurationChanged.fire({
    affectsConfiguration: (name: string) => key === name || key.startsWith(`${name}.`),
  });
}

// ---- env, lm, MCP definitions ----

let clipboardText = "";
const env = {
  clipboard: {
    readText: vi.fn(async () => clipboardText),
    writeText: vi.fn(async (text: string) => {
      clipboardText = text;
    }),
  },
  language: "en",
  appName: "Visual Studio Code (test)",
  machineId: "test-machine",
  sessionId: "test-session",
  uriScheme: "vscode",
  openExternal: vi.fn(async () => true),
};

/** MCP definition providers registered, by ID. */
export const mcpProviders = new Map<string, vscodeTypes.McpServerDefinitionProvider>();
const lm = {
  registerMcpServerDefinitionProvider: vi.fn(
    (id: string, provider: vscodeTypes.McpServerDefinitionProvider) => {
      mcpProviders.set(id, provider);
      return new Disposable(() => mcpProviders.delete(id));
    },
  ),
};

class McpStdioServerDefinition {
  cwd?: vscodeTypes.Uri;
  constructor(
    readonly label: string,
    public command: string,
    public args: string[] = [],
    public env: Record<string, string | number | null> = {},
    public version?: string,
  ) {}
}

class McpHttpServerDefinition {
  constructor(
    readonly label: string,
    public uri: vscodeTypes.Uri,
    public headers: Record<string, string> = {},
    public version?: string,
  ) {}
}

// ---- ThemeIcon: the mock names its colour `themeColor`; VS Code's API calls it `color` ----

class ThemeIcon extends (base.ThemeIcon as unknown as new (
  id: string,
  color?: vscodeTypes.ThemeColor,
) => object) {
  readonly id: string;
  readonly color: vscodeTypes.ThemeColor | undefined;
  constructor(id: string, color?: vscodeTypes.ThemeColor) {
    super(id, color);
    this.id = id;
    this.color = color;
  }
}

// ---- extension context ----

/** An in-memory Memento. */
export class FakeMemento implements vscodeTypes.Memento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (structuredClone(this.values.get(key)) as T) : defaultValue;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
  }
  setKeysForSync(): void {}
}

/**
 * An in-memory SecretStorage. Several contexts may share one (as windows share the keyring);
 * `broken` makes every call throw, as when no OS keyring is available.
 */
export class FakeSecretStorage implements vscodeTypes.SecretStorage {
  readonly values = new Map<string, string>();
  broken = false;
  readonly #changed = new EventEmitter<vscodeTypes.SecretStorageChangeEvent>();
  readonly onDidChange = this.#changed.event;
  readonly store = vi.fn(async (key: string, value: string) => {
    this.#check();
    this.values.set(key, value);
    this.#changed.fire({ key });
  });
  readonly get = vi.fn(async (key: string) => {
    this.#check();
    return this.values.get(key);
  });
  readonly delete = vi.fn(async (key: string) => {
    this.#check();
    this.values.delete(key);
    this.#changed.fire({ key });
  });
  readonly keys = vi.fn(async () => {
    this.#check();
    return [...this.values.keys()];
  });
  #check(): void {
    if (this.broken) throw new Error("Cannot create an item in a locked collection");
  }
}

/** A minimal ExtensionContext: state, secrets, subscriptions and the extension's location. */
export function createExtensionContext(
  options: {
    secrets?: FakeSecretStorage;
    workspaceState?: FakeMemento;
    globalState?: FakeMemento;
  } = {},
): vscodeTypes.ExtensionContext & {
  secrets: FakeSecretStorage;
  workspaceState: FakeMemento;
  globalState: FakeMemento;
} {
  const extensionUri = Uri.file(new URL("../..", import.meta.url).pathname);
  return {
    subscriptions: [],
    secrets: options.secrets ?? new FakeSecretStorage(),
    workspaceState: options.workspaceState ?? new FakeMemento(),
    globalState: options.globalState ?? new FakeMemento(),
    extensionUri,
    extensionPath: extensionUri.fsPath,
    asAbsolutePath: (relative: string) => Uri.joinPath(extensionUri, relative).fsPath,
  } as unknown as ReturnType<typeof createExtensionContext>;
}

/** Disposes what an activation registered and forgets recorded state. */
export function resetHost(context?: vscodeTypes.ExtensionContext): void {
  for (const subscription of context?.subscriptions ?? []) subscription.dispose();
  contextKeys.clear();
  executedBuiltins.length = 0;
  clipboardText = "";
}

// ---- the module's exports: everything the extension imports from `vscode` ----

export const {
  CancellationTokenSource,
  ConfigurationTarget,
  MarkdownString,
  ProgressLocation,
  StatusBarAlignment,
  ThemeColor,
  TreeItem,
  TreeItemCollapsibleState,
  languages,
  extensions,
} = base as unknown as Record<string, never>;
export {
  commands,
  Disposable,
  env,
  EventEmitter,
  lm,
  McpHttpServerDefinition,
  McpStdioServerDefinition,
  ThemeIcon,
  Uri,
};
export const window = base.window;
export const workspace = base.workspace;
