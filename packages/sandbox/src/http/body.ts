import type { IncomingMessage } from "node:http";

/** The largest request body the sandbox reads (sign-ins and DTOs are small). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Reads a request's body as UTF-8; rejects with a RangeError past {@link MAX_BODY_BYTES}. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RangeError("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** One value of a JSON DTO as query text: lists comma-joined, CSV-quoting an element that needs it. */
function queryText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value))
    return value
      .map((element) => {
        const text = queryText(element) ?? "";
        return /[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      })
      .join(",");
  return JSON.stringify(value);
}

/**
 * A request DTO's fields as ServiceStack binds them: the query string, overridden field by field
 * (names in any case) by a JSON object body or a form body. Undefined when the body is JSON that
 * is not an object, which ServiceStack cannot bind.
 */
export function dtoFields(
  query: URLSearchParams,
  body: string,
  contentType: string | undefined,
): URLSearchParams | undefined {
  const fields = new URLSearchParams(query);
  const text = body.trim();
  if (text === "") return fields;
  let entries: [string, string][];
  if ((contentType ?? "").includes("json") || text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    entries = Object.entries(parsed).flatMap(([name, value]) => {
      const textValue = queryText(value);
      return textValue === undefined ? [] : [[name, textValue] as [string, string]];
    });
  } else {
    entries = [...new URLSearchParams(text)];
  }
  for (const [name] of entries)
    for (const key of [...fields.keys()])
      if (key.toLowerCase() === name.toLowerCase()) fields.delete(key);
  for (const [name, value] of entries) fields.append(name, value);
  return fields;
}
