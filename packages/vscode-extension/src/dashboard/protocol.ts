/**
 * The messages between the dashboard's webview and the extension. The webview is untrusted
 * input as far as the extension is concerned (its script could be tampered with by a malicious
 * document in the same webview process), so every message is checked before it is acted on.
 */

/** From the webview. */
export type DashboardMessage =
  | { type: "ready" }
  | { type: "refresh" }
  /** A heatmap cell was clicked (or pressed): filter the tree to that weekday and hour. */
  | { type: "filterSlot"; weekday: number; hour: number }
  /** "Show all hours" beside the slot filter: drop it from the tree's filters. */
  | { type: "clearSlot" };

/** The message, or undefined for anything else (ignored). */
export function parseDashboardMessage(value: unknown): DashboardMessage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case "ready":
    case "refresh":
    case "clearSlot":
      return { type: message.type };
    case "filterSlot": {
      const { weekday, hour } = message;
      if (!isWhole(weekday, 6) || !isWhole(hour, 23)) return undefined;
      return { type: "filterSlot", weekday, hour };
    }
    default:
      return undefined;
  }
}

function isWhole(value: unknown, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max;
}
