import { describe, expect, it } from "vitest";
import { runQuickstart } from "../src/quickstart.js";

describe("quickstart", () => {
  it("starts the sandbox and the HTTP server, and prints a real MCP client's list_sessions answer", async () => {
    const lines: string[] = [];
    const logs: string[] = [];
    const code = await runQuickstart({
      once: true,
      port: 0,
      sandbox: true,
      print: (line) => lines.push(line),
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    });
    const out = lines.join("\n");
    expect(code, out).toBe(0);
    expect(out).toMatch(/MCP endpoint \(Streamable HTTP\): http:\/\/127\.0\.0\.1:\d+\/mcp/);
    expect(out).toContain(
      'A real MCP client called list_sessions {"range":"yesterday","missed":true,"limit":10}',
    );
    expect(out).toContain("⚠ SANDBOX");
    expect(out).toMatch(/Accounts \(all reachable\): /);
    expect(out).toMatch(/matching session|No sessions match/);
    expect(logs.join("\n")).toContain("SANDBOX MODE");
  });
});
