import { canonicalPreset, RANGE_PRESETS, type RangePresetName } from "@evo-sessions/core";

/**
 * How the tools spell core's range presets ({@link RANGE_PRESETS}, the one vocabulary): with
 * underscores, as assistants copy identifiers, and `last_24h` for `last-24-hours` — the names
 * the tool schema has always had, so no caller breaks. Core reads every one of them
 * (`canonicalPreset`), so they map back without a table of our own.
 */
const TOOL_SPELLING: Partial<Record<RangePresetName, string>> = { "last-24-hours": "last_24h" };

/** The range names the tools accept, in core's menu order. */
export const RANGE_NAMES = RANGE_PRESETS.map(
  ({ preset }) => TOOL_SPELLING[preset] ?? preset.replaceAll("-", "_"),
) as [string, ...string[]];

/**
 * The tools' name of the preset a person wrote (`Last 7 days`, `last-7-days`, `last_24h`), or
 * undefined when it is not one of core's presets (core reads `last 5 days` too, but no tool
 * offers it).
 */
export function toolRangeName(text: string): string | undefined {
  let preset: string;
  try {
    preset = canonicalPreset(text);
  } catch {
    return undefined;
  }
  const index = RANGE_PRESETS.findIndex((entry) => entry.preset === preset);
  return index === -1 ? undefined : RANGE_NAMES[index];
}
