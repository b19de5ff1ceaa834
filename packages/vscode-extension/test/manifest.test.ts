// package.json and the code agree: commands, menus, context values, palette gating, settings.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ITEM_ONLY_COMMANDS, SIGNED_OUT_COMMANDS } from "../src/commands.js";
import { CALLBACK_CONTEXT_VALUES } from "../src/callbacks/callbacks-view.js";
import { CONTEXT_VALUES as TREE_CONTEXT_VALUES } from "../src/tree/tree-items.js";
import { useSandboxSuite } from "./support/harness.js";
import { registeredCommands } from "./support/vscode.js";

// The Sessions tree's and the Callbacks view's.
const CONTEXT_VALUES: readonly string[] = [...TREE_CONTEXT_VALUES, ...CALLBACK_CONTEXT_VALUES];

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  activationEvents?: string[];
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  capabilities?: {
    untrustedWorkspaces?: { supported: string | boolean; restrictedConfigurations?: string[] };
  };
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, MenuEntry[]>;
    viewsWelcome: { view: string; when?: string; contents: string }[];
    configuration: { properties: Record<string, { scope?: string }> };
  };
};

/**
 * Evaluates the `when` clauses package.json uses (`&&`, `!key`, `key`, `key == value`,
 * `key =~ /re/`, `false`) against context keys.
 */
function when(clause: string | undefined, keys: Record<string, unknown>): boolean {
  if (clause === undefined) return true;
  return clause.split("&&").every((raw) => {
    const term = raw.trim();
    if (term === "false") return false;
    if (term === "true") return true;
    const regex = /^(\S+)\s*=~\s*\/(.*)\/$/.exec(term);
    if (regex) return new RegExp(regex[2]!).test(String(keys[regex[1]!] ?? ""));
    const equals = /^(\S+)\s*==\s*(\S+)$/.exec(term);
    if (equals) return String(keys[equals[1]!]) === equals[2];
    if (term.startsWith("!")) return !keys[term.slice(1)];
    return Boolean(keys[term]);
  });
}

describe("package.json", () => {
  const suite = useSandboxSuite();

  it("contributes exactly the commands the extension registers", async () => {
    await suite.activate();
    const contributed = manifest.contributes.commands.map((entry) => entry.command).sort();
    expect(registeredCommands()).toEqual(contributed);
    const menuCommands = Object.values(manifest.contributes.menus).flatMap((entries) =>
      entries.map((entry) => entry.command),
    );
    for (const command of menuCommands) expect(contributed).toContain(command);
  });

  it("every viewItem condition matches a context value the tree really uses", () => {
    const conditions = Object.values(manifest.contributes.menus)
      .flat()
      .flatMap((entry) => (entry.when ?? "").split("&&").map((term) => term.trim()))
      .filter((term) => term.startsWith("viewItem"));
    expect(conditions.length).toBeGreaterThan(0);
    for (const condition of conditions) {
      const matching = CONTEXT_VALUES.filter((value) => when(condition, { viewItem: value }));
      expect(matching, condition).not.toEqual([]);
    }
  });

  it("shows exactly one of Filter and Clear Filters as a title button, and neither signed out", () => {
    const buttons = (keys: Record<string, unknown>) =>
      manifest.contributes.menus["view/title"]!.filter(
        (entry) =>
          entry.group?.startsWith("navigation") === true &&
          ["evoSessions.filter", "evoSessions.filter.clear"].includes(entry.command) &&
          when(entry.when, { view: "evoSessions.sessions", ...keys }),
      ).map((entry) => entry.command);
    const signedIn = { "evoSessions.signedIn": true };
    expect(buttons({ ...signedIn, "evoSessions.hasFilters": false })).toEqual([
      "evoSessions.filter",
    ]);
    expect(buttons({ ...signedIn, "evoSessions.hasFilters": true })).toEqual([
      "evoSessions.filter.clear",
    ]);
    expect(buttons({ "evoSessions.hasFilters": true })).toEqual([]);
  });

  it("gates the Command Palette: signed in only, Load More only with more, item-only never", () => {
    const palette = new Map(
      manifest.contributes.menus.commandPalette!.map((entry) => [entry.command, entry.when]),
    );
    const signedOut = { "evoSessions.signedIn": false };
    const signedIn = { "evoSessions.signedIn": true, "evoSessions.hasFilters": true };
    for (const { command } of manifest.contributes.commands) {
      const clause = palette.get(command);
      if (ITEM_ONLY_COMMANDS.includes(command)) {
        expect(clause, command).toBe("false");
      } else if (SIGNED_OUT_COMMANDS.includes(command)) {
        expect(when(clause, signedOut), command).toBe(true);
      } else {
        expect(when(clause, signedOut), `${command} while signed out`).toBe(false);
        expect(
          when(clause, { ...signedIn, "evoSessions.hasMore": true }),
          `${command} while signed in`,
        ).toBe(true);
      }
    }
    expect(when(palette.get("evoSessions.loadMore"), signedIn)).toBe(false);
  });

  it("never leaves the view blank: welcome content before activation finishes and signed out", () => {
    const welcome = manifest.contributes.viewsWelcome;
    const shown = (keys: Record<string, unknown>) =>
      welcome.filter((entry) => when(entry.when, keys)).length;
    expect(shown({})).toBe(1);
    expect(shown({ "evoSessions.ready": true })).toBe(1);
    expect(shown({ "evoSessions.ready": true, "evoSessions.signedIn": true })).toBe(0);
  });

  it("keeps the server and user name out of workspace settings, and activates after start-up", () => {
    const properties = manifest.contributes.configuration.properties;
    expect(properties["evoSessions.serverUrl"]!.scope).toBe("application");
    expect(properties["evoSessions.username"]!.scope).toBe("application");
    expect(Object.keys(properties).some((key) => /password/i.test(key))).toBe(false);
    expect(manifest.capabilities?.untrustedWorkspaces).toMatchObject({
      supported: "limited",
      restrictedConfigurations: ["evoSessions.serverUrl", "evoSessions.username"],
    });
    // The status bar counts live calls without the view being opened first.
    expect(manifest.activationEvents).toContain("onStartupFinished");
    expect(manifest.engines.vscode).toBe(`^${manifest.devDependencies["@types/vscode"]}`);
  });
});
