import { describe, expect, it } from "vitest";
import { UsageError } from "../src/cli.js";
import { parseQuickstartArgs, runQuickstart } from "../src/quickstart.js";

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

describe("the quickstart's command line", () => {
  it("reads --once, --sandbox and --port N or --port=N", () => {
    expect(parseQuickstartArgs([])).toEqual({});
    expect(parseQuickstartArgs(["--once", "--sandbox", "--port", "0"])).toEqual({
      once: true,
      sandbox: true,
      port: 0,
    });
    expect(parseQuickstartArgs(["--port=4000", "--"])).toEqual({ port: 4000 });
  });

  it.each([
    [["--port=abc"], '--port must be a port number from 0 to 65535 (got "abc").'],
    [["--port"], "--port needs a value."],
    [["--port", "--once"], "--port needs a value."],
    [["--once=1"], "--once takes no value."],
    [["--nope=x"], 'unknown argument "--nope" (quickstart takes --once, --port N, --sandbox)'],
    [["--", "--once"], 'unknown argument "--o…" (quickstart takes --once, --port N, --sandbox)'],
    [["--password=hunter2"], "EVO_VOICE_PASSWORD"],
  ])("rejects %j in one line: %s", (argv, message) => {
    expect(() => parseQuickstartArgs(argv)).toThrow(UsageError);
    expect(() => parseQuickstartArgs(argv)).toThrow(message);
    expect(() => parseQuickstartArgs(argv)).not.toThrow(/hunter2|\n/);
  });
});
