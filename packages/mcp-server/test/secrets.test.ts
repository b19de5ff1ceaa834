import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/client";
import { createEvoVoiceClient } from "@evo-sessions/core";
import { createContext } from "../src/context.js";
import { createEvoSessionsMcpServer } from "../src/server.js";
import { startHttpServer, type RunningHttpServer } from "../src/transports/http.js";
import { describeConfig } from "../src/config.js";
import { call, INITIALIZE_BODY, startFixture, type Fixture } from "./fixture.js";

let f: Fixture;
let http: RunningHttpServer;
const outputs: string[] = [];

beforeAll(async () => {
  f = await startFixture({
    sandbox: { sessions: 200 },
    config: { httpToken: "http-secret-token-42" },
  });
  http = await startHttpServer({
    createServer: () => createEvoSessionsMcpServer({ context: f.ctx }),
    token: f.config.httpToken,
    log: {
      info: (m) => outputs.push(m),
      warn: (m) => outputs.push(m),
      error: (m) => outputs.push(m),
    },
  });
});
afterAll(async () => {
  await http.close();
  await f.close();
});

describe("no secret in any output", () => {
  it("tool answers, errors, resources, prompts, HTTP bodies and logs never carry the password, cookies or token", async () => {
    const record = (value: unknown) => outputs.push(JSON.stringify(value));
    const first = await call(f.mcp, "list_sessions", { limit: 5, detail: "full" });
    record(first);
    const id = (first.data.sessions as { id: string }[])[0]!.id;
    record(await call(f.mcp, "get_session", { id, logLimit: 500 }));
    record(await call(f.mcp, "session_stats", { by: "endpoint" }));
    record(await call(f.mcp, "list_accounts"));
    record(await call(f.mcp, "list_sessions", { accountIds: ["x"] }));
    record(await call(f.mcp, "get_session", { id: "missing" }));
    record(await f.mcp.readResource({ uri: `evo-sessions://sessions/${id}` }));
    record(await f.mcp.getPrompt({ name: "triage_missed_calls", arguments: {} }));
    // An expired sign-in makes the client sign in again, with the password, mid-answer.
    f.sandbox.faults.expireAllSignIns();
    record(await call(f.mcp, "list_sessions", { limit: 2 }));
    // Faults that produce error messages from the server side.
    for (const fault of [
      { type: "html" },
      { type: "malformed-json" },
      { type: "status", status: 500 },
    ] as const) {
      const faultId = f.sandbox.faults.inject({ route: "sessions", fault, times: 1 });
      record(await call(f.mcp, "list_sessions", { limit: 2 }));
      f.sandbox.faults.remove(faultId);
    }
    // Over HTTP, the raw bodies.
    const response = await fetch(http.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${f.config.httpToken}`,
      },
      body: INITIALIZE_BODY,
    });
    outputs.push(await response.text());
    const unauthorized = await fetch(http.url, { method: "POST", body: "{}" });
    outputs.push(await unauthorized.text());
    record(describeConfig(f.config));
    outputs.push(...f.logs);

    const cookies = Object.values(f.evo.sessionCookies() ?? {}).filter(
      (v): v is string => typeof v === "string" && v.length > 3,
    );
    expect(cookies.length).toBeGreaterThan(0);
    const secrets = [f.password, f.config.httpToken as string, ...cookies];
    const everything = outputs.join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it("a failed sign-in says which variables to set, without echoing the password", async () => {
    const wrong = "definitely-wrong-password";
    const evo = createEvoVoiceClient({
      baseUrl: f.sandbox.url,
      auth: { type: "credentials", userName: "msp", password: wrong },
      retry: false,
    });
    const ctx = createContext({ client: evo, config: { ...f.config, password: wrong } });
    const server = createEvoSessionsMcpServer({ context: ctx });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "t", version: "0" });
    await Promise.all([server.connect(b), client.connect(a)]);
    const signIns = () =>
      f.sandbox.requests.filter((r) => r.path.startsWith("/auth/credentials")).length;
    const before = signIns();
    const result = await call(client, "list_sessions", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain("EVO_VOICE_USERNAME");
    expect(result.text).toContain("EVO_VOICE_PASSWORD");
    expect(result.text).toMatch(/sign-in is not tried again for \d+ s/);
    expect(result.text).not.toContain(wrong);
    const tried = signIns();
    expect(tried).toBeGreaterThan(before);
    // Calls right after are answered without trying the password again (account lockout).
    for (const tool of ["list_sessions", "list_accounts", "get_session"]) {
      const again = await call(client, tool, tool === "get_session" ? { id: "x" } : {});
      expect(again.isError).toBe(true);
      expect(again.text).toMatch(/was rejected \d+ s ago .* not tried again for \d+ s/);
    }
    expect(signIns()).toBe(tried);
    await client.close();
  });
});
