/**
 * ServiceStack's query-string conventions for list values (see API-NOTES "Wire conventions"):
 * comma-joined, `[a,b]` also accepted, and an element holding a comma or a quote CSV-quoted.
 */

/** Joins list elements for a query string, CSV-quoting those that need it. */
export function formatWireList(values: readonly string[]): string {
  return values
    .map((value) => (needsQuoting(value) ? `"${value.replaceAll('"', '""')}"` : value))
    .join(",");
}

// A comma or quote must be quoted (API-NOTES). So must a leading `[` or trailing `]`: otherwise
// `[x` first and `y]` last would read back as the `[a,b]` list form and lose their brackets.
// Quoting more than strictly needed is harmless: ServiceStack's JSV reader unquotes any element.
function needsQuoting(value: string): boolean {
  return /[",]/.test(value) || value.startsWith("[") || value.endsWith("]");
}

/**
 * Splits a query-string list value: `a,b`, `[a,b]` and CSV-quoted elements (`"a,b",c`).
 * Empty elements are dropped, as the server ignores them. Never throws: an unclosed quote
 * runs to the end of the text.
 */
export function parseWireList(text: string): string[] {
  let body = text.trim();
  if (body.startsWith("[") && body.endsWith("]")) body = body.slice(1, -1);
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (quoted) {
      if (char === '"') {
        if (body[i + 1] === '"') {
          current += '"';
          i++;
        } else quoted = false;
      } else current += char;
    } else if (char === '"' && current.trim() === "") {
      quoted = true;
      wasQuoted = true;
      current = "";
    } else if (char === ",") {
      pushElement(out, current, wasQuoted);
      current = "";
      wasQuoted = false;
    } else current += char;
  }
  pushElement(out, current, wasQuoted);
  return out;
}

function pushElement(out: string[], raw: string, wasQuoted: boolean): void {
  // Quoted elements keep their spaces; bare ones are trimmed like ServiceStack does.
  const value = wasQuoted ? raw : raw.trim();
  if (value !== "") out.push(value);
}

/**
 * Reads a parameter by name in any letter case, as ServiceStack matches property names
 * case-insensitively. The last non-empty occurrence wins; empty values count as absent.
 */
export function readParam(params: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [key, value] of params) {
    if (key.toLowerCase() === wanted && value.trim() !== "") found = value;
  }
  return found;
}
