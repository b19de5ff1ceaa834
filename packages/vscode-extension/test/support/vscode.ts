// The `vscode` module under test (vitest aliases `vscode` here): jest-mock-vscode's mock, plus
// working versions of the APIs the extension uses that the mock leaves as bare stubs or leaves
// out (commands, tree views, progress, content providers, clipboard, `lm`, MCP definitions).
// Every test file gets a fresh copy (vitest isolates modules per file).
import { createTextDocument, createVSCodeMock } from "jest-mock-vscode";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
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

/**
 * Views package.json contributes as `"visibility": "collapsed"` (or `"hidden"`): VS Code starts
 * them folded, so their `visible` is false until the user opens them. Reporting every view
 * visible would have a collapsed view (Callbacks) read sessions no real window reads.
 */
const initiallyHidden: ReadonlySet<string> = (() => {
  const manifest = JSON.parse(
    readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8"),
  ) as { contributes?: { views?: Record<string, { id: string; visibility?: string }[]> } };
  const views = Object.values(manifest.contributes?.views ?? {}).flat();
  return new Set(
    views
      .filter((view) => view.visibility !== undefined && view.visibility !== "visible")
      .map((view) => view.id),
  );
})();

function createTreeView<T>(id: string, options: vscodeTypes.TreeViewOptions<T>): FakeTreeView<T> {
  const visibility = new EventEmitter<vscodeTypes.TreeViewVisibilityChangeEvent>();
  let visible = !initiallyHidden.has(id);
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
mockWindow.showTextDocument = vi.fn(async (document: vscodeTypes.TextDocument) => ({ document }));

// ---- quick input: createInputBox / createQuickPick answered from a script ----

/** The Back button VS Code puts on multi-step inputs. */
const QuickInputButtons = { Back: { iconPath: { id: "arrow-left" }, tooltip: "Back" } };

/** One scripted answer to the next input box or quick pick shown. */
export type ScriptedAnswer =
  | { kind: "type"; value: string }
  /** Types a value the box must refuse; its message is recorded and the box stays open. */
  | { kind: "typeInvalid"; value: string }
  | { kind: "pick"; labels: string[] }
  | { kind: "back" }
  | { kind: "dismiss" };

/** Answers waiting for the next inputs, in order (see the harness's answer helpers). */
export const scriptedAnswers: ScriptedAnswer[] = [];

/** What an input looked like when it was shown, for tests to read. */
export interface ShownInput {
  type: "input" | "pick";
  title: string | undefined;
  value: string;
  prompt: string | undefined;
  placeholder: string | undefined;
  password: boolean;
  items: string[];
  /** Labels of the items ticked or active when shown. */
  selected: string[];
  hasBack: boolean;
  /** Validation messages shown for values typed with `typeInvalid`, in order. */
  problems: string[];
}

/** Every input shown since the last reset, oldest first. */
export const shownInputs: ShownInput[] = [];

/** Problems met while answering (an answer the input rejected, a label it does not offer). */
export const scriptProblems: string[] = [];

class FakeQuickInput {
  title: string | undefined;
  step: number | undefined;
  totalSteps: number | undefined;
  enabled = true;
  busy = false;
  ignoreFocusOut = false;
  placeholder: string | undefined;
  buttons: readonly vscodeTypes.QuickInputButton[] = [];
  value = "";
  visible = false;
  readonly changedValue = new EventEmitter<string>();
  readonly accepted = new EventEmitter<void>();
  readonly hidden = new EventEmitter<void>();
  readonly triggered = new EventEmitter<vscodeTypes.QuickInputButton>();
  readonly onDidChangeValue = this.changedValue.event;
  readonly onDidAccept = this.accepted.event;
  readonly onDidHide = this.hidden.event;
  readonly onDidTriggerButton = this.triggered.event;
  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.hidden.fire();
  }
  dispose(): void {
    this.hide();
  }
  protected type(value: string): void {
    this.value = value;
    this.changedValue.fire(value);
  }
}

class FakeInputBox extends FakeQuickInput {
  password = false;
  prompt: string | undefined;
  validationMessage: string | vscodeTypes.InputBoxValidationMessage | undefined;
  valueSelection: readonly [number, number] | undefined;
  show(): void {
    this.visible = true;
    const shown: ShownInput = {
      type: "input",
      title: this.title,
      value: this.value,
      prompt: this.prompt,
      placeholder: this.placeholder,
      password: this.password,
      items: [],
      selected: [],
      hasBack: this.buttons.includes(QuickInputButtons.Back),
      problems: [],
    };
    shownInputs.push(shown);
    const answerNext = () => {
      const answer = scriptedAnswers.shift();
      if (answer === undefined || answer.kind === "dismiss") return this.hide();
      if (answer.kind === "back") return this.triggered.fire(QuickInputButtons.Back);
      if (answer.kind === "pick") {
        scriptProblems.push(`input box "${this.title}" was answered with a pick`);
        return this.hide();
      }
      this.type(answer.value);
      this.accepted.fire();
      if (!this.visible) {
        if (answer.kind === "typeInvalid") {
          scriptProblems.push(`input box "${this.title}" accepted ${JSON.stringify(answer.value)}`);
        }
        return;
      }
      const message = this.validationMessage;
      const problem = (typeof message === "string" ? message : message?.message) ?? "";
      if (answer.kind === "typeInvalid") {
        shown.problems.push(problem);
        return setTimeout(answerNext, 0);
      }
      scriptProblems.push(
        `input box "${this.title}" rejects ${JSON.stringify(answer.value)}: ${problem}`,
      );
      this.hide();
    };
    setTimeout(answerNext, 0);
  }
}

class FakeQuickPick<T extends vscodeTypes.QuickPickItem> extends FakeQuickInput {
  items: readonly T[] = [];
  canSelectMany = false;
  matchOnDescription = false;
  matchOnDetail = false;
  keepScrollPosition = false;
  sortByLabel = true;
  activeItems: readonly T[] = [];
  selectedItems: readonly T[] = [];
  readonly changedActive = new EventEmitter<readonly T[]>();
  readonly changedSelection = new EventEmitter<readonly T[]>();
  readonly onDidChangeActive = this.changedActive.event;
  readonly onDidChangeSelection = this.changedSelection.event;
  readonly onDidTriggerItemButton = new EventEmitter<unknown>().event;
  show(): void {
    this.visible = true;
    shownInputs.push({
      type: "pick",
      title: this.title,
      value: this.value,
      prompt: undefined,
      placeholder: this.placeholder,
      password: false,
      items: this.items.map((item) => item.label),
      selected: (this.canSelectMany ? this.selectedItems : this.activeItems).map(
        (item) => item.label,
      ),
      hasBack: this.buttons.includes(QuickInputButtons.Back),
      problems: [],
    });
    setTimeout(() => {
      const answer = scriptedAnswers.shift();
      if (answer === undefined || answer.kind === "dismiss") return this.hide();
      if (answer.kind === "back") return this.triggered.fire(QuickInputButtons.Back);
      if (answer.kind === "type" || answer.kind === "typeInvalid") {
        scriptProblems.push(`quick pick "${this.title}" was answered with typed text`);
        return this.hide();
      }
      const picked = this.items.filter((item) => answer.labels.includes(item.label));
      if (picked.length !== answer.labels.length) {
        scriptProblems.push(
          `quick pick "${this.title}" has no ${answer.labels.join(", ")}; it offers ${this.items.map((item) => item.label).join(", ")}`,
        );
        return this.hide();
      }
      this.selectedItems = picked;
      this.changedSelection.fire(picked);
      this.accepted.fire();
    }, 0);
  }
}

mockWindow.createInputBox = vi.fn(() => new FakeInputBox());
mockWindow.createQuickPick = vi.fn(() => new FakeQuickPick());
// The promise-based inputs read the same script (a few commands still use them).
mockWindow.showInputBox = vi.fn(async (options?: vscodeTypes.InputBoxOptions) => {
  const box = new FakeInputBox();
  box.title = options?.title;
  box.prompt = options?.prompt;
  box.value = options?.value ?? "";
  const result = new Promise<string | undefined>((resolve) => {
    box.onDidAccept(async () => {
      const problem = await options?.validateInput?.(box.value);
      if (problem) {
        box.validationMessage = typeof problem === "string" ? problem : problem.message;
        return;
      }
      box.visible = false;
      resolve(box.value);
    });
    box.onDidHide(() => resolve(undefined));
  });
  box.show();
  return result;
});
mockWindow.showQuickPick = vi.fn(
  async (
    items: readonly vscodeTypes.QuickPickItem[] | Thenable<readonly vscodeTypes.QuickPickItem[]>,
    options?: vscodeTypes.QuickPickOptions,
  ) => {
    const pick = new FakeQuickPick();
    pick.title = options?.title;
    pick.items = await items;
    pick.canSelectMany = options?.canPickMany === true;
    const result = new Promise<unknown>((resolve) => {
      pick.onDidAccept(() => {
        pick.visible = false;
        resolve(pick.canSelectMany ? pick.selectedItems : pick.selectedItems[0]);
      });
      pick.onDidHide(() => resolve(undefined));
    });
    pick.show();
    return result;
  },
);

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
    const existing = openDocuments.find((document) => document.uri.toString() === uri.toString());
    // VS Code hands back the open document, with its old text: providers must fire onDidChange.
    if (existing !== undefined) return existing;
    const document = createTextDocument(
      uri,
      text ?? "",
      uri.path.endsWith(".md") ? "markdown" : "plaintext",
    );
    openDocuments.push(document);
    const changes = provider.onDidChange?.(async (changed) => {
      if (changed.toString() !== uri.toString()) return;
      const next = await provider.provideTextDocumentContent(changed, {
        isCancellationRequested: false,
        onCancellationRequested: new EventEmitter<void>().event,
      });
      documentTexts.set(uri.toString(), next ?? "");
    });
    documentSubscriptions.push(changes);
    return document;
  }
  return openFile(arg);
});

/** Documents opened from content providers (what `workspace.textDocuments` lists). */
export const openDocuments: vscodeTypes.TextDocument[] = [];
const documentTexts = new Map<string, string>();
const documentSubscriptions: (vscodeTypes.Disposable | undefined)[] = [];
Object.defineProperty(mockWorkspace, "textDocuments", { get: () => openDocuments });

/** The text of an open provider document now, after any onDidChange re-reads. */
export function documentText(document: vscodeTypes.TextDocument): string {
  return documentTexts.get(document.uri.toString()) ?? document.getText();
}
mockWorkspace.onDidChangeConfiguration = configurationChanged.event;
// Every write fires onDidChangeConfiguration, as in VS Code (the extension's own writes too).
const originalGetConfiguration = base.workspace.getConfiguration.bind(base.workspace);
mockWorkspace.getConfiguration = vi.fn((section?: string, scope?: unknown) => {
  const config = originalGetConfiguration(section, scope as never);
  const update = config.update.bind(config);
  return Object.assign(Object.create(config) as vscodeTypes.WorkspaceConfiguration, {
    get: config.get.bind(config),
    has: config.has.bind(config),
    inspect: config.inspect.bind(config),
    update: async (name: string, value: unknown, target?: unknown) => {
      await update(name, value, target as never);
      const key = section === undefined ? name : `${section}.${name}`;
      configurationChanged.fire({
        affectsConfiguration: (affected: string) =>
          key === affected || key.startsWith(`${affected}.`),
      });
    },
  });
});

/** Changes a setting (global scope) and fires onDidChangeConfiguration like VS Code does. */
export async function changeSetting(key: string, value: unknown): Promise<void> {
  const [section, ...rest] = key.split(".");
  await vscodeWorkspace().getConfiguration(section).update(rest.join("."), value, true);
}

function vscodeWorkspace(): typeof vscodeTypes.workspace {
  return base.workspace;
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
  for (const subscription of documentSubscriptions.splice(0)) subscription?.dispose();
  openDocuments.length = 0;
  documentTexts.clear();
  scriptedAnswers.length = 0;
  shownInputs.length = 0;
  scriptProblems.length = 0;
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
  ViewColumn,
  languages,
  extensions,
} = base as unknown as Record<string, never>;
export {
  commands,
  Disposable,
  env,
  EventEmitter,
  lm,
  QuickInputButtons,
  McpHttpServerDefinition,
  McpStdioServerDefinition,
  ThemeIcon,
  Uri,
};
export const window = base.window;
export const workspace = base.workspace;
