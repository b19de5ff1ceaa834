import { describe, expect, it } from "vitest";
import { SessionQuery, sessionRecord } from "@evo-sessions/core";
import { COMMANDS } from "../src/main.js";
import { cli, clientOf, envOf, useSandbox } from "./harness.js";

const sandbox = await useSandbox();
const env = envOf(sandbox);

describe("help", () => {
  it("lists every command, the environment and the exit codes", async () => {
    const { code, stdout } = await cli(["--help"]);
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(stdout).toContain(`  ${c.name} `);
    for (const v of [
      "EVO_VOICE_BASE_URL",
      "EVO_VOICE_USERNAME",
      "EVO_VOICE_PASSWORD",
      "EVO_VOICE_ACCOUNT_IDS",
      "EVO_VOICE_TIME_ZONE",
    ]) {
      expect(stdout).toContain(v);
    }
    expect(stdout).toMatch(/130\s+interrupted/);
  });

  it.each(COMMANDS.map((c) => c.name))(
    "evo-sessions %s --help names its usage, every option and the exit codes",
    async (name) => {
      const { code, stdout } = await cli([name, "--help"]);
      expect(code).toBe(0);
      const command = COMMANDS.find((c) => c.name === name)!;
      expect(stdout).toContain(command.usage.split("\n")[0]!);
      for (const option of Object.keys(command.options)) expect(stdout).toContain(`--${option}`);
      expect(stdout).toContain("Exit status:");
    },
  );
});

describe("bad arguments get one line naming the argument", () => {
  it.each([
    [["list", "--bogus"], "--bogus"],
    [["list", "--limit", "0"], "--limit"],
    [["list", "--range"], "--range"],
    [["list", "--range", "fortnight"], "--range"],
    [["list", "--start", "2026-02-30"], "--start"],
    [["list", "--direction", "sideways"], "--direction"],
    [["list", "--range", "today", "--start", "2026-11-01"], "--range"],
    [["list", "--columns", "id,colour"], "--columns"],
    [["list", "--json", "--csv"], "--csv"],
    [["list", "extra"], "extra"],
    [["stats", "--by", "planet"], "--by"],
    [["export", "--range", "today"], "--output"],
    [["export", "-o", "x.txt"], "--format"],
    [["frobnicate"], "frobnicate"],
  ])("%j", async (argv, argument) => {
    const { code, stderr, stdout } = await cli(argv, { env });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(`evo-sessions: ${argument}`);
  });

  it("names a bad environment variable, exit 3", async () => {
    const { code, stderr } = await cli(["list"], {
      env: { ...env, EVO_VOICE_TIME_ZONE: "Mars/Olympus" },
    });
    expect(code).toBe(3);
    expect(stderr).toContain("EVO_VOICE_TIME_ZONE");
    const half = await cli(["list"], { env: { EVO_VOICE_USERNAME: "x" } });
    expect(half.code).toBe(3);
    expect(half.stderr).toContain("EVO_VOICE_PASSWORD");
  });
});

describe("reading commands", () => {
  it("list --json prints what the scanner finds for the same filters", async () => {
    const { code, stdout } = await cli(
      [
        "list",
        "--missed",
        "--start",
        "2026-11-10",
        "--end",
        "2026-11-19",
        "--limit",
        "40",
        "--json",
      ],
      { env },
    );
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string });
    const query = SessionQuery.create()
      .localDays("2026-11-10", "2026-11-19", { timeZone: "UTC" })
      .missed()
      .newest();
    const { matches } = await clientOf(sandbox).scan(query, { limit: 40 }).collect();
    expect(lines).toEqual(matches.map((m) => JSON.parse(JSON.stringify(sessionRecord(m.session)))));
  });

  it("prints a table on a terminal and JSON when piped", async () => {
    const tty = await cli(["list", "--limit", "3"], { env, tty: true });
    expect(tty.stdout.split("\n")[0]).toMatch(/^started\s+direction/);
    const piped = await cli(["list", "--limit", "3"], { env });
    expect(() =>
      piped.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).not.toThrow();
    const csv = await cli(["list", "--limit", "3", "--csv", "--columns", "id,outcome"], { env });
    expect(csv.stdout.split("\r\n")[0]).toBe("id,outcome");
  });

  it("get shows a session with its log; accounts lists the sign-in's accounts", async () => {
    const id = sandbox.data.sessions[0]!.id!;
    const got = await cli(["get", id, "--json"], { env });
    expect(got.code).toBe(0);
    expect((JSON.parse(got.stdout) as { id: string; log: unknown[] }).log.length).toBeGreaterThan(
      0,
    );
    const table = await cli(["get", id, "--table"], { env });
    expect(table.stdout).toContain("Log");
    const accounts = await cli(["accounts", "--json"], { env });
    expect(accounts.stdout.trim().split("\n")).toHaveLength(4);
    const missing = await cli(["get", "no-such-session"], { env });
    expect(missing.code).toBe(1);
  });

  it("stats reports core's KPIs with shapes and a comparison", async () => {
    const { code, stdout } = await cli(
      [
        "stats",
        "--start",
        "2026-11-10",
        "--end",
        "2026-11-16",
        "--by",
        "day",
        "--compare",
        "--json",
      ],
      { env },
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      totals: { offered: number };
      groups: { day: unknown[] };
      previous: unknown;
    };
    expect(report.totals.offered).toBeGreaterThan(0);
    expect(report.groups.day).toHaveLength(7);
    expect(report.previous).toBeDefined();
    const table = await cli(
      ["stats", "--range", "last-7-days", "--by", "heatmap", "--callbacks", "--table"],
      { env },
    );
    expect(table.stdout).toContain("answer rate");
    expect(table.stdout).toContain("Callbacks:");
  });

  it("uses the embedded sandbox without credentials, and says so on stderr", async () => {
    const { code, stderr } = await cli(["accounts", "--json"], { env: {} });
    expect(code).toBe(0);
    expect(stderr).toMatch(/SANDBOX/);
  });

  it("exits 130 when interrupted", async () => {
    const controller = new AbortController();
    controller.abort();
    const { code, stderr } = await cli(["list", "--limit", "5"], {
      env,
      signal: controller.signal,
    });
    expect(code).toBe(130);
    expect(stderr).toContain("interrupted");
  });
});
