// The Get Started walkthrough: every step's page exists and ships in the .vsix, and every
// command a step links to or waits for is one the extension (or VS Code) provides.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
  contributes: {
    commands: { command: string }[];
    walkthroughs: {
      id: string;
      steps: {
        id: string;
        description: string;
        media: { markdown: string };
        completionEvents: string[];
      }[];
    }[];
  };
};
const BUILT_IN = ["workbench.action.chat.open"];

describe("Walkthrough", () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));

  it("walks through sign-in, filters, saved searches, the dashboard and the AI chat", () => {
    expect(walkthrough!.steps.map((step) => step.id)).toEqual([
      "signIn",
      "filter",
      "saveSearch",
      "dashboard",
      "aiChat",
    ]);
  });

  it("links only commands that exist, and every page is a Markdown file the .vsix ships", () => {
    const ignore = readFileSync(`${root}.vscodeignore`, "utf8");
    expect(ignore).toContain("!media/walkthrough/*");
    for (const step of walkthrough!.steps) {
      expect(existsSync(`${root}${step.media.markdown}`), step.media.markdown).toBe(true);
      expect(step.media.markdown).toMatch(/^media\/walkthrough\/[^/]+\.md$/);
      const linked = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]!);
      const awaited = step.completionEvents
        .filter((event) => event.startsWith("onCommand:"))
        .map((event) => event.slice("onCommand:".length));
      expect(linked.length, step.id).toBeGreaterThan(0);
      for (const command of [...linked, ...awaited])
        expect(commands.has(command) || BUILT_IN.includes(command), command).toBe(true);
    }
  });
});
