import { join } from "node:path";
import type { Frame, Locator, Page } from "playwright-core";
import type { ExtensionManifest } from "./extension-manifest.js";

/** One rendered row of a tree view, as a person (or a screen reader) reads it. */
export interface TreeRow {
  label: string;
  description: string;
  /** What a screen reader announces (the item's accessibility label). */
  ariaLabel: string;
  /** 1 for top-level items. */
  level: number;
  /** undefined for items that cannot expand. */
  expanded: boolean | undefined;
}

/** The Quick Input (Command Palette, input box or quick pick) as it is shown. */
export interface QuickInputState {
  visible: boolean;
  title: string;
  placeholder: string;
  /** The prompt or validation message under the box. */
  message: string;
  value: string;
  /** Labels of the rows offered. */
  items: string[];
}

/** Options of {@link Workbench}. */
export interface WorkbenchOptions {
  manifest: ExtensionManifest;
  artifactsDir: string;
  /** Multiplies every wait. */
  timeoutScale: number;
}

/** Polls until `read()` gives a value `accept` takes; the error shows the last value seen. */
export async function waitUntil<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen =
        lastError === undefined ? JSON.stringify(last, null, 2) : `error: ${String(lastError)}`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Last seen: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Drives the VS Code workbench in the browser the way a person does: activity bar, Command
 * Palette (F1), input boxes typed into with the keyboard, clicks on tree rows. Reads back what
 * is on screen from the workbench's DOM and saves numbered screenshots.
 */
export class Workbench {
  readonly page: Page;
  readonly #options: WorkbenchOptions;
  #shots = 0;

  constructor(page: Page, options: WorkbenchOptions) {
    this.page = page;
    this.#options = options;
  }

  /** A wait scaled by E2E_TIMEOUT_SCALE. */
  timeout(ms: number): number {
    return ms * this.#options.timeoutScale;
  }

  /** Loads the workbench and waits until it is interactive. */
  async open(url: string): Promise<void> {
    await this.page.goto(url, { timeout: this.timeout(60_000) });
    await this.page.locator(".monaco-workbench").waitFor({ timeout: this.timeout(60_000) });
    await this.page
      .locator(".part.activitybar, .part.sidebar")
      .first()
      .waitFor({ timeout: this.timeout(60_000) });
  }

  /** Drags the side bar's edge so long rows and descriptions fit in the screenshots. */
  async widenSideBar(width: number): Promise<void> {
    const sideBar = await this.page.locator(".part.sidebar").boundingBox();
    if (sideBar === null) return;
    const edge = sideBar.x + sideBar.width;
    const sashes = await this.page.locator(".monaco-sash.vertical").all();
    for (const sash of sashes) {
      const box = await sash.boundingBox();
      if (box === null || Math.abs(box.x + box.width / 2 - edge) > 8) continue;
      const y = box.y + box.height / 2;
      await this.page.mouse.move(box.x + box.width / 2, y);
      await this.page.mouse.down();
      await this.page.mouse.move(sideBar.x + width, y, { steps: 5 });
      await this.page.mouse.up();
      return;
    }
  }

  /** Moves the pointer off the side bar, so no hover card covers the screenshot. */
  async movePointerAway(): Promise<void> {
    const viewport = this.page.viewportSize();
    await this.page.mouse.move((viewport?.width ?? 1200) * 0.7, (viewport?.height ?? 800) * 0.6);
    // A hover card lingers a moment after the pointer leaves its row.
    const hover = this.page.locator(".workbench-hover").filter({ visible: true });
    await waitUntil(
      "hover cards to close",
      () => hover.count(),
      (n) => n === 0,
      2_000,
    ).catch(() => {});
  }

  /**
   * The text a person can read at the top of a view: the side bar's title (which a single view
   * shares with its container), any visible view header with its description, and the view's
   * message. Hidden elements are left out, unlike {@link viewDescription}.
   */
  async visibleViewHeading(containerId: string): Promise<string> {
    const parts: string[] = [];
    const title = this.page.locator(".part.sidebar > .composite.title");
    if (await title.isVisible()) parts.push(await title.innerText());
    for (const header of await this.container(containerId).locator(".pane-header").all()) {
      if (await header.isVisible()) parts.push(await header.innerText());
    }
    parts.push(await this.viewMessage(containerId));
    return parts.join(" ").replace(/\s+/g, " ").trim();
  }

  /** The side bar content of a view container (`workbench.view.extension.<id>`). */
  container(containerId: string): Locator {
    return this.page.locator(`[id="workbench.view.extension.${containerId}"]`);
  }

  /** Opens a view container from the activity bar, as a person clicks its icon. */
  async showContainer(containerId: string): Promise<void> {
    if (await this.container(containerId).isVisible()) return;
    const title = this.#options.manifest.containerTitle(containerId);
    const icon = this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`);
    await icon.first().click({ timeout: this.timeout(60_000) });
    await this.container(containerId).waitFor({ timeout: this.timeout(30_000) });
  }

  /** The texts of the buttons of a view's welcome content. */
  async welcomeButtons(containerId: string): Promise<string[]> {
    const buttons = this.container(containerId).locator(".welcome-view-content a.monaco-button");
    return (await buttons.allInnerTexts()).map((text) => text.trim());
  }

  /** The paragraphs of a view's welcome content. */
  async welcomeText(containerId: string): Promise<string> {
    const content = this.container(containerId).locator(".welcome-view-content");
    return (await content.count()) === 0 ? "" : (await content.first().innerText()).trim();
  }

  /** The description next to the view's title (the header keeps it even when merged). */
  async viewDescription(containerId: string): Promise<string> {
    const description = this.container(containerId).locator(".pane-header .description");
    return (await description.count()) === 0
      ? ""
      : ((await description.first().textContent()) ?? "").trim();
  }

  /** The message a tree view shows above its items (TreeView.message). */
  async viewMessage(containerId: string): Promise<string> {
    const message = this.container(containerId).locator(
      ".tree-explorer-viewlet-tree-view .message",
    );
    if ((await message.count()) === 0) return "";
    const hidden = await message.first().evaluate((el) => el.classList.contains("hide"));
    return hidden ? "" : ((await message.first().textContent()) ?? "").trim();
  }

  /** The tree rows currently rendered in a container (the list is virtual: visible rows only). */
  async treeRows(containerId: string): Promise<TreeRow[]> {
    return readTreeRows(this.container(containerId));
  }

  /** Waits until the rendered rows satisfy `accept`, returning them. */
  async waitForTreeRows(
    containerId: string,
    what: string,
    accept: (rows: TreeRow[]) => boolean,
    timeoutMs = 30_000,
  ): Promise<TreeRow[]> {
    return waitUntil(what, () => this.treeRows(containerId), accept, this.timeout(timeoutMs));
  }

  /** Clicks the tree row whose label matches. */
  async clickTreeRow(containerId: string, label: string | RegExp): Promise<void> {
    const rows = this.container(containerId).locator('.monaco-list-row[role="treeitem"]');
    const row = rows.filter({
      has: this.page.locator(".label-name", { hasText: label }),
    });
    await row.first().click({ timeout: this.timeout(30_000) });
  }

  /** Scrolls a tree to its end (virtual lists render only what is in view). */
  async scrollTreeToEnd(containerId: string): Promise<void> {
    await this.#scrollTree(containerId, "end");
  }

  /** Scrolls a tree back to its top. */
  async scrollTreeToTop(containerId: string): Promise<void> {
    await this.#scrollTree(containerId, "top");
  }

  /** Wheels the tree until its scroll position stops moving at the wanted end. */
  async #scrollTree(containerId: string, to: "top" | "end"): Promise<void> {
    const tree = this.container(containerId).locator(".monaco-list").first();
    await tree.hover();
    // Monaco lists scroll virtually (no DOM scrollTop): the vertical scrollbar's slider says
    // where the wheel got to. Without a slider everything fits, and both ends are in view.
    const scrollbar = tree.locator(".scrollbar.vertical").first();
    const position = async () =>
      (await scrollbar.count()) === 0
        ? { atTop: true, atEnd: true }
        : scrollbar.evaluate((bar: HTMLElement) => {
            const slider = bar.querySelector<HTMLElement>(".slider");
            if (slider === null || slider.offsetHeight === 0 || bar.offsetHeight === 0) {
              return { atTop: true, atEnd: true };
            }
            const top = slider.offsetTop;
            return { atTop: top <= 0, atEnd: top + slider.offsetHeight >= bar.offsetHeight - 1 };
          });
    await waitUntil(
      `the tree scrolled to its ${to}`,
      async () => {
        await this.page.mouse.wheel(0, to === "end" ? 4_000 : -4_000);
        return position();
      },
      (where) => (to === "top" ? where.atTop : where.atEnd),
      this.timeout(10_000),
    );
  }

  /** Runs one of the extension's commands as a person does: F1, type its title, pick it. */
  async runCommand(commandId: string): Promise<void> {
    await this.runPaletteCommand(this.#options.manifest.commandLabel(commandId), commandId);
  }

  /** The title of one of the extension's commands without its category, e.g. `Refresh`. */
  commandTitle(commandId: string): string {
    return this.#options.manifest.commandTitle(commandId);
  }

  /** Runs any command by its Command Palette label, e.g. `MCP: List Servers`. */
  async runPaletteCommand(label: string, commandId = label): Promise<void> {
    await this.closeQuickInput();
    await this.page.locator(".monaco-workbench").focus();
    await this.page.keyboard.press("F1");
    const input = this.page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor({ timeout: this.timeout(15_000) });
    await this.page.keyboard.type(label);
    const row = this.page
      .locator(".quick-input-widget .quick-input-list .monaco-list-row")
      .filter({ has: this.page.getByText(label, { exact: true }) });
    try {
      await row.first().click({ timeout: this.timeout(15_000) });
    } catch (error) {
      const state = await this.quickInput();
      throw new Error(
        `The Command Palette offers no "${label}" (${commandId}); it shows ${JSON.stringify(state.items)}.`,
        { cause: error },
      );
    }
  }

  /** The Quick Input as shown now. */
  async quickInput(): Promise<QuickInputState> {
    const widget = this.page.locator(".quick-input-widget");
    if ((await widget.count()) === 0 || !(await widget.first().isVisible())) {
      return { visible: false, title: "", placeholder: "", message: "", value: "", items: [] };
    }
    return widget.first().evaluate((el) => {
      const text = (selector: string) =>
        (el.querySelector(selector)?.textContent ?? "").replace(/\s+/g, " ").trim();
      const input = el.querySelector<HTMLInputElement>(".quick-input-box input");
      const rows = [...el.querySelectorAll(".quick-input-list .monaco-list-row")];
      return {
        visible: true,
        title: text(".quick-input-title"),
        placeholder: input?.getAttribute("placeholder") ?? "",
        message: text(".quick-input-message"),
        value: input?.value ?? "",
        items: rows.map((row) =>
          (row.querySelector(".label-name")?.textContent ?? row.getAttribute("aria-label") ?? "")
            .replace(/\s+/g, " ")
            .trim(),
        ),
      };
    });
  }

  /** Waits for a Quick Input whose title, placeholder or prompt matches `prompt`. */
  async waitForQuickInput(prompt: RegExp, timeoutMs = 30_000): Promise<QuickInputState> {
    return waitUntil(
      `an input box or picker asking ${prompt}`,
      () => this.quickInput(),
      (state) =>
        state.visible &&
        (prompt.test(state.title) || prompt.test(state.placeholder) || prompt.test(state.message)),
      this.timeout(timeoutMs),
    );
  }

  /** Replaces the Quick Input's text by typing, then presses Enter. */
  /**
   * Answers VS Code's own save dialog (in code-server a Quick Input with a path box): waits for
   * the dialog to put its default path in (it selects the file name without its extension, so
   * typing over a selection races it), replaces the whole value at once, checks it, submits.
   */
  async submitSavePath(path: string): Promise<void> {
    const input = this.page.locator(".quick-input-widget .quick-input-box input");
    await waitUntil(
      "the save dialog's default path",
      () => input.inputValue(),
      (value) => value.includes("/"),
      this.timeout(15_000),
    );
    // Submitted again while the dialog stays open: code-server's dialog now and then puts its
    // default back, or takes the submit as opening its active item, and waits for another.
    for (let attempt = 1; ; attempt++) {
      await this.fillSavePath(input, path);
      await this.pressSaveOk();
      const closed = await waitUntil(
        "the save dialog to close",
        () => this.page.locator(".quick-input-widget").isVisible(),
        (visible) => !visible,
        this.timeout(10_000),
      ).then(
        () => true,
        (error: unknown) => (attempt < 3 ? false : Promise.reject(error)),
      );
      if (closed) return;
    }
  }

  /** Fills the save dialog's path until it holds it (the dialog may put its default in after). */
  private async fillSavePath(input: Locator, path: string): Promise<void> {
    await waitUntil(
      `the save dialog to hold ${path}`,
      async () => {
        if ((await input.inputValue()) !== path) await input.fill(path);
        return input.inputValue();
      },
      (value) => value === path,
      this.timeout(15_000),
    );
  }

  /** OK, not Enter: with a list item active (".." is), Enter may open it instead of saving. */
  private async pressSaveOk(): Promise<void> {
    const ok = this.page
      .locator(".quick-input-widget .monaco-button")
      .filter({ hasText: /^OK$/ })
      .first();
    if (await ok.isVisible()) await ok.click({ timeout: this.timeout(15_000) });
    else await this.page.keyboard.press("Enter");
  }

  async typeAndSubmit(text: string): Promise<void> {
    const input = this.page.locator(".quick-input-widget .quick-input-box input");
    await input.focus();
    await this.page.keyboard.press("ControlOrMeta+A");
    await this.page.keyboard.press("Backspace");
    await this.page.keyboard.type(text);
    await this.page.keyboard.press("Enter");
  }

  /** Picks the Quick Pick row whose label matches. */
  async pick(label: string | RegExp): Promise<void> {
    const row = this.page
      .locator(".quick-input-widget .quick-input-list .monaco-list-row")
      .filter({ has: this.page.locator(".label-name", { hasText: label }) });
    try {
      await row.first().click({ timeout: this.timeout(15_000) });
    } catch (error) {
      const state = await this.quickInput();
      throw new Error(
        `The picker offers no ${String(label)}; it shows ${JSON.stringify(state.items)}.`,
        {
          cause: error,
        },
      );
    }
  }

  /** Ticks the row whose label matches in a multi-select Quick Pick. */
  async toggle(label: string | RegExp): Promise<void> {
    const row = this.page
      .locator(".quick-input-widget .quick-input-list .monaco-list-row")
      .filter({ has: this.page.locator(".label-name", { hasText: label }) })
      .first();
    const checked = async () => (await row.getAttribute("aria-checked")) === "true";
    const before = await checked();
    // A click on a row of a multi-select pick flips its checkbox.
    await row.click({ timeout: this.timeout(15_000) });
    await waitUntil(
      `${String(label)} to be ${before ? "unticked" : "ticked"}`,
      checked,
      (now) => now !== before,
      this.timeout(5_000),
    );
  }

  /** Accepts the Quick Input (Enter in its box), as after ticking rows. */
  async accept(): Promise<void> {
    await this.page.locator(".quick-input-widget .quick-input-box input").focus();
    await this.page.keyboard.press("Enter");
  }

  /** Closes any open Quick Input. */
  async closeQuickInput(): Promise<void> {
    if ((await this.quickInput()).visible) {
      await this.page.keyboard.press("Escape");
      await waitUntil(
        "the Quick Input to close",
        () => this.quickInput(),
        (s) => !s.visible,
        this.timeout(5_000),
      );
    }
  }

  /** Texts of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    const toasts = this.page.locator(".notifications-toasts .notification-toast");
    return (await toasts.allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim());
  }

  /** Title of the active editor tab. */
  async activeTabTitle(): Promise<string> {
    const tab = this.page.locator(".editor .tabs-container .tab.active");
    return (await tab.count()) === 0 ? "" : (await tab.first().innerText()).trim();
  }

  /** The text of the active text editor's rendered lines (what is on screen, not the whole file). */
  async activeEditorText(): Promise<string> {
    const lines = this.page.locator(".editor .editor-instance .monaco-editor .view-lines").first();
    if ((await lines.count()) === 0) return "";
    return (await lines.innerText()).replace(/\u00a0/g, " ");
  }

  /**
   * The text of an open Markdown preview whose content contains `marker` (the preview is a webview:
   * nested iframes, so every frame is asked), or "" while there is none.
   */
  async previewText(marker: string): Promise<string> {
    for (const frame of this.page.frames()) {
      const text = await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "");
      if (text.includes(marker)) return text.replace(/\u00a0/g, " ");
    }
    return "";
  }

  /** Scrolls the Markdown preview whose content contains `marker` to its last section. */
  async scrollPreviewToLastSection(marker: string): Promise<void> {
    for (const frame of this.page.frames()) {
      const found = await frame
        .evaluate((wanted) => {
          if (!(document.body?.innerText ?? "").includes(wanted)) return false;
          const headings = document.querySelectorAll("h2");
          const last = headings[headings.length - 1];
          if (last === undefined) window.scrollTo(0, document.body.scrollHeight);
          else last.scrollIntoView();
          return true;
        }, marker)
        .catch(() => false);
      if (found) return;
    }
  }

  /** Clicks a button of a view's welcome content, e.g. "Try the sandbox". */
  async clickWelcomeButton(containerId: string, text: string): Promise<void> {
    await this.container(containerId)
      .locator(".welcome-view-content a.monaco-button")
      .filter({ hasText: text })
      .first()
      .click({ timeout: this.timeout(30_000) });
  }

  /**
   * The titles of the actions shown in the side bar's title (a single view shares it with its
   * container), e.g. `["Filter Sessions…", "Refresh", …]`.
   */
  async viewTitleActions(): Promise<string[]> {
    const actions = this.page.locator(
      ".part.sidebar .title-actions a.action-label, .part.sidebar .pane-header .actions a.action-label",
    );
    const labels = await actions.evaluateAll((elements) =>
      elements
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => el.getAttribute("aria-label") ?? ""),
    );
    return labels.filter((label) => label !== "");
  }

  /** Clicks the side bar title action whose title starts with `title`. */
  async clickViewTitleAction(title: string): Promise<void> {
    await this.page
      .locator(
        ".part.sidebar .title-actions a.action-label, .part.sidebar .pane-header .actions a.action-label",
      )
      .filter({ visible: true })
      .and(this.page.locator(`[aria-label^="${title}"]`))
      .first()
      .click({ timeout: this.timeout(15_000) });
  }

  /** A status-bar entry by its ID (`<publisher>.<extension>.<item id>`). */
  statusBarItem(entryId: string): Locator {
    return this.page.locator(`.part.statusbar .statusbar-item[id="${entryId}"]`);
  }

  /** The text and accessible label of a status-bar entry, or undefined while it is hidden. */
  async statusBarEntry(entryId: string): Promise<{ text: string; label: string } | undefined> {
    const item = this.statusBarItem(entryId);
    if ((await item.count()) === 0 || !(await item.first().isVisible())) return undefined;
    return {
      text: ((await item.first().textContent()) ?? "").replace(/\s+/g, " ").trim(),
      label: (await item.first().getAttribute("aria-label")) ?? "",
    };
  }

  /** Opens a built-in view container from the activity bar, e.g. `Explorer`. */
  async showActivity(title: string): Promise<void> {
    await this.page
      .locator(`.part.activitybar .action-item a[aria-label^="${title}"]`)
      .first()
      .click({ timeout: this.timeout(15_000) });
  }

  /** The text of the Output panel's channel on screen ("" while no panel shows one). */
  async outputText(): Promise<string> {
    const lines = this.page.locator(".part.panel .output-view .monaco-editor .view-lines");
    if ((await lines.count()) === 0 || !(await lines.first().isVisible())) return "";
    return (await lines.first().innerText()).replace(/\u00a0/g, " ");
  }

  /** The pane of one view in a container, found by the title in its header (e.g. `Callbacks`). */
  viewPane(containerId: string, title: string): Locator {
    return this.container(containerId)
      .locator(".pane")
      .filter({ has: this.page.locator(".pane-header .title", { hasText: title }) });
  }

  /** Expands or collapses a view's pane by clicking its header, and waits for the new state. */
  async setViewExpanded(containerId: string, title: string, expanded: boolean): Promise<void> {
    const header = this.viewPane(containerId, title).locator(".pane-header").first();
    const state = async () => (await header.getAttribute("aria-expanded")) === "true";
    if ((await state()) === expanded) return;
    await header.click({ timeout: this.timeout(15_000) });
    await waitUntil(
      `the ${title} view to be ${expanded ? "expanded" : "collapsed"}`,
      state,
      (now) => now === expanded,
      this.timeout(10_000),
    );
  }

  /** The rendered rows of one view's tree (not the other views of its container). */
  async viewRows(containerId: string, title: string): Promise<TreeRow[]> {
    return readTreeRows(this.viewPane(containerId, title));
  }

  /**
   * Clicks an inline action of a tree row (the buttons shown on hover), as a person hovers the
   * row and clicks the icon; `index` picks among rows with the same label.
   */
  async clickRowAction(
    containerId: string,
    title: string,
    label: string,
    action: string,
    index = 0,
  ): Promise<void> {
    const row = this.viewPane(containerId, title)
      .locator('.monaco-list-row[role="treeitem"]')
      .filter({ has: this.page.locator(".label-name", { hasText: label }) })
      .nth(index);
    await row.hover({ timeout: this.timeout(15_000) });
    await row
      .locator(`.actions a.action-label[aria-label^="${action}"]`)
      .first()
      .click({ timeout: this.timeout(15_000) });
  }

  /**
   * The frame of a webview whose document has an element matching `selector` (webviews are
   * nested iframes; a redraw replaces the inner one, so callers look it up again each time).
   */
  async webviewFrame(selector: string): Promise<Frame | undefined> {
    for (const frame of this.page.frames()) {
      const found = await frame
        .evaluate((wanted) => document.querySelector(wanted) !== null, selector)
        .catch(() => false);
      if (found) return frame;
    }
    return undefined;
  }

  /** Saves a numbered PNG of the whole window to the artifacts folder. */
  async screenshot(name: string): Promise<string> {
    await this.movePointerAway();
    this.#shots += 1;
    const file = join(
      this.#options.artifactsDir,
      `${String(this.#shots).padStart(2, "0")}-${name}.png`,
    );
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** The rendered tree rows under `scope` (the callback runs in the page: it is self-contained). */
function readTreeRows(scope: Locator): Promise<TreeRow[]> {
  return scope.locator('.monaco-list-row[role="treeitem"]').evaluateAll((rows) =>
    rows.map((row) => {
      const text = (selector: string) =>
        (row.querySelector(selector)?.textContent ?? "").replace(/\s+/g, " ").trim();
      const expanded = row.getAttribute("aria-expanded");
      return {
        label: text(".label-name"),
        description: text(".label-description"),
        ariaLabel: row.getAttribute("aria-label") ?? "",
        level: Number(row.getAttribute("aria-level") ?? "1"),
        expanded: expanded === null ? undefined : expanded === "true",
      };
    }),
  );
}
