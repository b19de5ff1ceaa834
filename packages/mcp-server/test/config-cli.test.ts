import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, describeConfig } from "../src/config.js";
import { parseCliArgs, UsageError } from "../src/cli.js";
import { startBackend } from "../src/backend.js";
import { decodeCursor, encodeCursor, hashFilters } from "../src/cursor.js";

describe("configuration from the environment", () => {
  it("reads every variable", () => {
    const config = loadConfig({
      EVO_VOICE_BASE_URL: "https://team.evovoice.io/",
      EVO_VOICE_USERNAME: "ann",
      EVO_VOICE_PASSWORD: " pw with spaces ",
      EVO_VOICE_ACCOUNT_IDS: "a1, a2,,a1",
      EVO_VOICE_TIME_ZONE: "Europe/Berlin",
      EVO_SESSIONS_MCP_TOKEN: "tok",
      EVO_SESSIONS_TOKEN_BUDGET: "2000",
      EVO_SESSIONS_STATS_MAX_SESSIONS: "900",
      EVO_SESSIONS_DEADLINE_MS: "30000",
      EVO_VOICE_ALLOW_INSECURE_HTTP: "0",
      EVO_SESSIONS_STORE: "/data/calls.duckdb",
      EVO_SESSIONS_STORE_MAX_AGE: "15",
    });
    expect(config).toEqual({
      baseUrl: "https://team.evovoice.io",
      userName: "ann",
      password: " pw with spaces ",
      defaultAccountIds: ["a1", "a2"],
      timeZone: "Europe/Berlin",
      httpToken: "tok",
      tokenBudget: 2000,
      statsMaxSessions: 900,
      deadlineMs: 30_000,
      allowInsecureHttp: false,
      storePath: "/data/calls.duckdb",
      storeMaxAgeMinutes: 15,
    });
    expect(JSON.stringify(describeConfig(config))).not.toContain("pw with spaces");
    expect(JSON.stringify(describeConfig(config))).not.toContain('"tok"');
  });

  it("defaults: production URL, no credentials (sandbox), budget 4000", () => {
    const config = loadConfig({});
    expect(config.baseUrl).toBe("https://evovoice.io");
    expect(config.userName).toBeUndefined();
    expect(config.tokenBudget).toBe(4000);
    expect(config.timeZone).toBeTruthy();
  });

  it.each([
    [{ EVO_VOICE_TIME_ZONE: "Mars/Base" }, "EVO_VOICE_TIME_ZONE"],
    [{ EVO_SESSIONS_STORE_MAX_AGE: "0" }, "EVO_SESSIONS_STORE_MAX_AGE"],
    [{ EVO_VOICE_BASE_URL: "not a url" }, "EVO_VOICE_BASE_URL"],
    [{ EVO_VOICE_BASE_URL: "ftp://x" }, "EVO_VOICE_BASE_URL"],
    [{ EVO_VOICE_USERNAME: "ann" }, "EVO_VOICE_PASSWORD"],
    [{ EVO_VOICE_PASSWORD: "pw" }, "EVO_VOICE_USERNAME"],
    [{ EVO_SESSIONS_TOKEN_BUDGET: "12" }, "EVO_SESSIONS_TOKEN_BUDGET"],
    [{ EVO_SESSIONS_TOKEN_BUDGET: "999" }, "EVO_SESSIONS_TOKEN_BUDGET"],
    [{ EVO_SESSIONS_STATS_MAX_SESSIONS: "lots" }, "EVO_SESSIONS_STATS_MAX_SESSIONS"],
  ])("rejects %j naming %s", (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toContain(variable);
    }
  });
});

describe("command line", () => {
  it("parses the flags", () => {
    expect(
      parseCliArgs(["--http", "--port", "0", "--host=0.0.0.0", "--stateless", "--sandbox"]),
    ).toMatchObject({
      http: true,
      port: 0,
      host: "0.0.0.0",
      stateless: true,
      sandbox: true,
    });
    expect(parseCliArgs([])).toMatchObject({ http: false, host: "127.0.0.1", sandbox: false });
  });

  it.each([["--password"], ["--password=x"], ["--token"], ["--username"], ["--mcp-token=abc"]])(
    "refuses the secret flag %s and points to the environment",
    (flag) => {
      expect(() => parseCliArgs([flag, "value"])).toThrow(UsageError);
      expect(() => parseCliArgs([flag, "value"])).toThrow(/EVO_/);
    },
  );

  it("rejects unknown flags and bad ports", () => {
    expect(() => parseCliArgs(["--verbose"])).toThrow(/Unknown argument/);
    expect(() => parseCliArgs(["--passwd=hunter2"])).toThrow('Unknown argument "--passwd".');
    expect(() => parseCliArgs(["hunter2"])).toThrow('Unknown argument "hun…".');
    expect(() => parseCliArgs(["--port", "99999"])).toThrow(/--port/);
    expect(() => parseCliArgs(["--stateless"])).toThrow(/--http/);
  });
});

describe("command line, as node:util parseArgs reads it", () => {
  it("takes --flag=value and --flag value alike; repeatable flags collect, others take the last", () => {
    expect(
      parseCliArgs([
        "--http",
        "--port=0",
        "--port",
        "8080",
        "--allow-host",
        "a.example",
        "--allow-host=b.example",
        "--allow-origin",
        "https://app.example.com",
        "-h",
        "-v",
      ]),
    ).toMatchObject({
      http: true,
      port: 8080,
      allowedHosts: ["a.example", "b.example"],
      allowedOrigins: ["https://app.example.com"],
      help: true,
      version: true,
    });
    expect(parseCliArgs(["--sandbox", "--live", "--"])).toMatchObject({
      sandbox: true,
      live: true,
    });
  });

  it.each([
    [["--port=abc"], '--port must be a port number from 0 to 65535 (got "abc").'],
    [["--port="], '--port must be a port number from 0 to 65535 (got "").'],
    [["--nope"], 'Unknown argument "--nope". Run evo-sessions-mcp --help.'],
    [["-x"], 'Unknown argument "-x".'],
    [["--constructor"], 'Unknown argument "--constructor".'],
    [["--http", "--port"], "--port needs a value."],
    [["--http", "--host", "--stateless"], "--host needs a value."],
    [["--http", "--allow-host", "--"], "--allow-host needs a value."],
    [["--http=yes"], "--http takes no value."],
    [["--", "--http"], 'Unknown argument "--h…".'],
    [["--http", "--", "hunter2"], 'Unknown argument "hun…".'],
  ])("rejects %j in one line: %s", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it.each([["-pw"], ["--PASSWORD=x"], ["--cookie"], ["-token"]])(
    "refuses the secret flag %s however it is spelled",
    (flag) => {
      expect(() => parseCliArgs([flag])).toThrow(/is refused: .*EVO_/);
    },
  );

  it.each([
    [["--port", "9".repeat(500)]],
    [[`--${"n".repeat(500)}=x`]],
    [["--http", "z".repeat(500)]],
  ])("clips long input in the message (%#)", (argv) => {
    let message = "";
    try {
      parseCliArgs(argv);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      message = (error as Error).message;
    }
    expect(message).toContain("…");
    expect(message.length).toBeLessThan(140);
  });
});

describe("the sandbox banner", () => {
  it("tells to drop --sandbox only when --sandbox was given", async () => {
    for (const sandbox of [false, true]) {
      const logs: string[] = [];
      const log = { info: () => {}, warn: (m: string) => logs.push(m), error: () => {} };
      const running = await startBackend(loadConfig({}), { sandbox, log });
      await running.close();
      expect(logs.join("\n")).toContain("SANDBOX MODE");
      expect(logs.join("\n").includes("--sandbox"), logs.join("\n")).toBe(sandbox);
    }
  });
});

describe("cursors", () => {
  it("round-trip and are bound to their filters", () => {
    const hash = hashFilters({ range: "today", missed: true });
    expect(hashFilters({ missed: true, range: "today", from: undefined })).toBe(hash);
    const resolvedAt = Date.parse("2026-03-11T15:30:00Z");
    const cursor = encodeCursor({ filtersHash: hash, offset: 40, resolvedAt, anchorId: "s_1" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, hash)).toEqual({
      filtersHash: hash,
      offset: 40,
      resolvedAt,
      anchorId: "s_1",
    });
    expect(() => decodeCursor(cursor, hashFilters({ range: "yesterday" }))).toThrow(
      /different filters or accounts/,
    );
    expect(() => decodeCursor("abc", hash)).toThrow(/not a cursor/);
  });
});
