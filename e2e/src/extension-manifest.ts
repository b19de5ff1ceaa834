import { readFile } from "node:fs/promises";

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
}

interface Manifest {
  contributes?: {
    commands?: CommandContribution[];
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
  };
}

/** What the suite reads from the extension's package.json: the words a person sees. */
export interface ExtensionManifest {
  /** The label of a command in the Command Palette, e.g. `Evo Voice: Sign In`. */
  commandLabel(commandId: string): string;
  /** The title of a command as view buttons show it (no category), e.g. `Refresh`. */
  commandTitle(commandId: string): string;
  /** The activity-bar title of a view container, e.g. `Evo Voice`. */
  containerTitle(containerId: string): string;
}

/** Reads the manifest so scenarios name commands by ID and follow title changes. */
export async function readExtensionManifest(path: string): Promise<ExtensionManifest> {
  const manifest = JSON.parse(await readFile(path, "utf8")) as Manifest;
  const commands = new Map(
    (manifest.contributes?.commands ?? []).map((entry) => [entry.command, entry]),
  );
  const containers = new Map(
    (manifest.contributes?.viewsContainers?.activitybar ?? []).map((entry) => [entry.id, entry]),
  );
  return {
    commandLabel(commandId) {
      const entry = commands.get(commandId);
      if (entry === undefined) {
        throw new Error(`The extension contributes no command ${commandId}; check package.json.`);
      }
      return entry.category === undefined ? entry.title : `${entry.category}: ${entry.title}`;
    },
    commandTitle(commandId) {
      const entry = commands.get(commandId);
      if (entry === undefined) {
        throw new Error(`The extension contributes no command ${commandId}; check package.json.`);
      }
      return entry.title;
    },
    containerTitle(containerId) {
      const entry = containers.get(containerId);
      if (entry === undefined) {
        throw new Error(`The extension contributes no view container ${containerId}.`);
      }
      return entry.title;
    },
  };
}
