import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CliArgumentError, parseCliArgs } from "../src/cli-args.js";
import { parseDuration, parseFaultSpec } from "../src/index.js";

describe("command-line options", () => {
  it("reads every flag", () => {
    const options = parseCliArgs([
      "--port",
      "9000",
      "--sessions=100",
      "--seed",
      "7",
      "--date-format",
      "wcf",
      "--latency",
      "40ms",
      "--live",
      "--session-ttl",
      "30m",
      "--now",
      "2026-01-31T12:00:00Z",
      "--fault",
      "status=503,probability=0.1",
    ]);
    expect(options.sandbox).toMatchObject({
      port: 9000,
      sessions: 100,
      seed: 7,
      dateFormat: "wcf",
      latencyMs: 40,
      live: true,
      sessionTtlMs: 1_800_000,
    });
    expect(options.sandbox.now?.toISOString()).toBe("2026-01-31T12:00:00.000Z");
    expect(options.faults).toEqual([{ fault: { type: "status", status: 503 }, probability: 0.1 }]);
  });

  it("defaults to port 8787, 5000 sessions and seed 42", () => {
    expect(parseCliArgs([]).sandbox).toEqual({ port: 8787, sessions: 5000, seed: 42 });
  });

  it.each([
    [["--port", "http"], /--port/],
    [["--port", "70000"], /--port/],
    [["--sessions"], /--sessions needs a value/],
    [["--date-format", "rfc"], /--date-format/],
    [["--latency", "fast"], /--latency/],
    [["--fault", "explode"], /--fault: unknown fault "explode"/],
    [["--fault", "status=418"], /--fault: .*418/],
    [["--fault", "reset,times=0"], /--fault: .*times/],
    [["--colour"], /unknown option "--colour"/],
    [["--now", "soon"], /--now/],
  ])("rejects %j with an error naming the flag", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliArgumentError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it("takes --flag=value and --flag value alike, the last value winning, a value with one dash too", () => {
    expect(
      parseCliArgs(["--port=9000", "--host", "0.0.0.0", "--port", "9001"]).sandbox,
    ).toMatchObject({
      port: 9001,
      host: "0.0.0.0",
    });
    expect(parseCliArgs(["--seed", "-5"]).sandbox.seed).toBe(-5);
    expect(parseCliArgs(["--seed=-5"]).sandbox.seed).toBe(-5);
    expect(parseCliArgs(["--days", "30", "--accounts", "200"]).sandbox.fleet).toEqual({
      accounts: 200,
      days: 30,
    });
    expect(parseCliArgs(["--fault", "reset,times=1", "--fault=hang"]).faults).toEqual([
      { fault: { type: "reset" }, times: 1 },
      { fault: { type: "hang" } },
    ]);
  });

  it("reads -h and --help, and a -- that ends the options", () => {
    expect(parseCliArgs(["-h"]).help).toBe(true);
    expect(parseCliArgs(["--help"]).help).toBe(true);
    expect(parseCliArgs(["--live", "--"])).toMatchObject({ help: false, sandbox: { live: true } });
  });

  it.each([
    [["--port=abc"], '--port needs a whole number from 0 to 65535 (got "abc")'],
    [["--port="], '--port needs a whole number from 0 to 65535 (got "")'],
    [["--nope"], 'unknown option "--nope"; run with --help to see the options'],
    [["--nope=secret"], 'unknown option "--nope"; run with --help to see the options'],
    [["-x"], 'unknown option "-x"'],
    [["--port"], "--port needs a value"],
    [["--live", "--fault"], "--fault needs a value"],
    [["--sessions", "--live"], "--sessions needs a value"],
    [["--host", "--"], "--host needs a value"],
    [["--live=yes"], "--live takes no value"],
    [["--help=no"], "--help takes no value"],
    [["serve"], 'unexpected argument "serve": the sandbox takes options only'],
    [["--", "--port", "1"], 'unexpected argument "--port"'],
    [["--__proto__=1"], 'unknown option "--__proto__"'],
  ])("rejects %j in one line: %s", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliArgumentError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it.each([
    [["--port", "9".repeat(500)]],
    [["--now", "x".repeat(500)]],
    [["--date-format", "x".repeat(500)]],
    [[`--${"n".repeat(500)}`]],
    [["y".repeat(500)]],
    [["--latency", "z".repeat(500)]],
    [["--fault", "q".repeat(500)]],
    [["--fault", `reset,route=${"r".repeat(500)}`]],
    [["--fault", `drift=${"d".repeat(500)}`]],
  ])("clips long input in the message (%#)", (argv) => {
    let message = "";
    try {
      parseCliArgs(argv);
    } catch (error) {
      expect(error).toBeInstanceOf(CliArgumentError);
      message = (error as Error).message;
    }
    expect(message).toContain("…");
    expect(message).not.toContain("\n");
    expect(message.length).toBeLessThan(260);
  });

  it("reads durations and fault specs", () => {
    expect([
      parseDuration("40ms"),
      parseDuration("2s"),
      parseDuration("1.5m"),
      parseDuration("1h"),
      parseDuration("250"),
    ]).toEqual([40, 2000, 90_000, 3_600_000, 250]);
    expect(parseFaultSpec("latency=300ms,route=sessions,times=2")).toEqual({
      route: "sessions",
      times: 2,
      fault: { type: "latency", ms: 300 },
    });
    expect(parseFaultSpec("status=429,retry-after=5")).toEqual({
      fault: { type: "status", status: 429, retryAfterSeconds: 5 },
    });
    expect(parseFaultSpec("drift=unknownEnums+wcfDates")).toEqual({
      fault: { type: "drift", unknownEnums: true, wcfDates: true },
    });
    expect(parseFaultSpec("hang")).toEqual({ fault: { type: "hang" } });
  });
});

describe("evo-sessions-sandbox", () => {
  it("starts, prints the URL and demo credentials, and serves sessions", async () => {
    const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", cli, "--port", "0", "--sessions", "50", "--seed", "3"],
      {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = "";
        child.stdout.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes("Try:")) resolve(text);
        });
        child.on("exit", (code) => reject(new Error(`exited with ${String(code)}`)));
      });
      expect(output).toContain("demo / demo-password");
      expect(output).toContain("msp / msp-password");
      expect(output).toContain("admin / admin-password");
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] as string;
      const response = await fetch(`${url}/sessions?countPerPage=2`, {
        headers: { Authorization: `Basic ${Buffer.from("demo:demo-password").toString("base64")}` },
      });
      expect(response.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("exits with status 2 and names the flag on a bad option", async () => {
    const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", cli, "--port", "nope"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--port");
  });
});
