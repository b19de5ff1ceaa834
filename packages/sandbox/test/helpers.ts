import { startSandbox, type Sandbox, type SandboxOptions } from "../src/index.js";

/** A fixed "now" so that every test run sees the same data. */
export const TEST_NOW = new Date("2026-03-15T18:30:00.000Z");

/** Starts a sandbox on a free port with a small, reproducible dataset. */
export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, sessions: 1200, seed: 7, now: TEST_NOW, ...options });
}

/** `Authorization: Basic` for a demo user. */
export function basic(userName: string, password = `${userName}-password`): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${userName}:${password}`).toString("base64")}` };
}

/** GETs a path with Basic credentials and returns status and parsed JSON body. */
export async function getJson(
  sandbox: Sandbox,
  path: string,
  headers: Record<string, string> = basic("admin"),
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${sandbox.url}${path}`, { headers });
  const text = await response.text();
  return {
    status: response.status,
    body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: response.headers,
  };
}

/** Builds a query string from a record, skipping undefined values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
