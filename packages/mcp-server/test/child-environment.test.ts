import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  childEnvironment,
  ConfigError,
  ENVIRONMENT_VARIABLES,
  loadConfig,
  mergeChildEnvironment,
} from "../src/index.js";

const signIn = {
  kind: "credentials",
  baseUrl: "https://team.evovoice.io",
  userName: "ann@example.com",
  password: "  secret with spaces ",
} as const;

describe("childEnvironment: settings and a sign-in → the MCP server's environment", () => {
  it("sets every variable the server reads, or clears it, and the server reads the settings back", () => {
    const env = childEnvironment({
      signIn,
      accountIds: ["a1", "a2"],
      timeZone: "Europe/London",
      tokenBudget: 6000,
      statsMaxSessions: 800,
      deadlineMs: 20_000,
      storePath: "/data/calls.duckdb",
      storeMaxAgeMinutes: 15,
    });
    expect(Object.keys(env).sort()).toEqual(Object.keys(ENVIRONMENT_VARIABLES).sort());
    expect(env.EVO_SESSIONS_MCP_TOKEN).toBeNull();
    const inherited = { PATH: "/bin", EVO_SESSIONS_MCP_TOKEN: "from the editor" };
    const merged = mergeChildEnvironment(inherited, env);
    expect(merged.PATH).toBe("/bin");
    expect(merged).not.toHaveProperty("EVO_SESSIONS_MCP_TOKEN");
    expect(loadConfig(merged)).toMatchObject({
      baseUrl: "https://team.evovoice.io",
      userName: "ann@example.com",
      password: "  secret with spaces ",
      defaultAccountIds: ["a1", "a2"],
      timeZone: "Europe/London",
      tokenBudget: 6000,
      statsMaxSessions: 800,
      deadlineMs: 20_000,
      storePath: "/data/calls.duckdb",
      storeMaxAgeMinutes: 15,
    });
  });

  it("a definition listed before start-up holds no password", () => {
    const env = childEnvironment({ signIn: { ...signIn, password: undefined } });
    expect(env.EVO_VOICE_PASSWORD).toBeNull();
    expect(env.EVO_VOICE_USERNAME).toBe("ann@example.com");
  });

  it("the sandbox clears the credentials, so the server serves its own sandbox", () => {
    const env = childEnvironment({ signIn: { kind: "sandbox" } });
    const merged = mergeChildEnvironment({ EVO_VOICE_USERNAME: "x", EVO_VOICE_PASSWORD: "y" }, env);
    const config = loadConfig(merged);
    expect(config.userName).toBeUndefined();
    expect(config.password).toBeUndefined();
  });

  it.each([
    [{ timeZone: "Mars/Base" }, "EVO_VOICE_TIME_ZONE"],
    [{ tokenBudget: 10 }, "EVO_SESSIONS_TOKEN_BUDGET"],
    [{ deadlineMs: 5 }, "EVO_SESSIONS_DEADLINE_MS"],
    [{ storeMaxAgeMinutes: 0 }, "EVO_SESSIONS_STORE_MAX_AGE"],
    [{ accountIds: ["a,b"] }, "EVO_VOICE_ACCOUNT_IDS"],
    [{ signIn: { ...signIn, baseUrl: "not a url" } }, "EVO_VOICE_BASE_URL"],
  ])("refuses %j, naming %s", (settings, variable) => {
    let error: unknown;
    try {
      childEnvironment({ signIn, ...settings });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });

  it("the CLI is an export a bundler resolves", () => {
    const resolved = createRequire(import.meta.url).resolve("@evo-sessions/mcp-server/cli");
    expect(resolved.replaceAll("\\", "/")).toMatch(/packages\/mcp-server\/dist\/cli\.js$/);
  });
});
