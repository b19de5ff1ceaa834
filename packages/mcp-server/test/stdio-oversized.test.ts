// The built bin over stdio, sent lines longer than the 1 MiB limit: each is answered with one
// JSON-RPC error and skipped, the next messages are served, memory does not follow the line.
// Every wait is for a message from the child, never for time.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, type JSONRPCMessage, type Transport } from "@modelcontextprotocol/client";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const MiB = 1024 * 1024;

type Message = Record<string, unknown>;

/** `dist/cli.js --sandbox` with its stdout read as JSON lines. */
class StdioChild {
  readonly process: ChildProcessWithoutNullStreams;
  readonly messages: Message[] = [];
  stderr = "";
  private rest = "";
  private waiters: (() => void)[] = [];
  /** Gets each message too (the client's transport). */
  onmessage?: (message: Message) => void;

  constructor() {
    if (!existsSync(cli)) throw new Error("build first: npx tsc -p tsconfig.build.json");
    const env: Record<string, string> = { EVO_VOICE_TIME_ZONE: "UTC" };
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !key.startsWith("EVO_")) env[key] = value;
    }
    this.process = spawn(process.execPath, [cli, "--sandbox"], { env });
    this.process.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.process.stdout.setEncoding("utf8");
    this.process.stdout.on("data", (text: string) => this.read(text));
  }

  private read(text: string): void {
    const lines = (this.rest + text).split("\n");
    this.rest = lines.pop() ?? "";
    for (const line of lines) {
      const message = JSON.parse(line) as Message;
      this.messages.push(message);
      this.onmessage?.(message);
    }
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The first message (from `from` on) that `match` accepts, once it has come. */
  async next(match: (message: Message) => boolean, from = 0): Promise<Message> {
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found !== undefined) return found;
      if (this.process.exitCode !== null) throw new Error(`the server exited:\n${this.stderr}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  /** Writes all of `data`, waiting for the pipe to drain when it is full. */
  async write(data: Buffer | string): Promise<void> {
    if (!this.process.stdin.write(data)) await once(this.process.stdin, "drain");
  }

  /** Writes a line of `bytes` that has no newline yet (a request with a huge argument). */
  async writeOpenLine(bytes: number): Promise<void> {
    await this.write(
      '{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"list_accounts","arguments":{"pad":"',
    );
    const piece = Buffer.alloc(64 * 1024, "é");
    for (let sent = 0; sent < bytes; sent += piece.length) await this.write(piece);
  }

  /** Resident memory now and at its peak (MiB), where /proc tells (Linux). */
  memory(): { rss: number; peak: number } | undefined {
    let status: string;
    try {
      status = readFileSync(`/proc/${this.process.pid}/status`, "utf8");
    } catch {
      return undefined;
    }
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
    return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
  }

  /** An MCP client transport over this child's stdio. */
  transport(): Transport {
    const transport: Transport = {
      start: async () => {
        this.onmessage = (message) => transport.onmessage?.(message as JSONRPCMessage);
      },
      send: (message) => this.write(`${JSON.stringify(message)}\n`),
      close: async () => transport.onclose?.(),
    };
    return transport;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = once(this.process, "exit");
    // SIGTERM too: a server that stopped reading (a failed test) does not see stdin end.
    this.process.stdin.end();
    this.process.kill("SIGTERM");
    await exited;
  }
}

const isRefusal = (message: Message) =>
  message.id === null && (message.error as { code?: number } | undefined)?.code === -32600;
const refusalsLogged = (stderr: string) => stderr.match(/refused a message longer than/g)?.length;

describe("a line over 1 MiB on stdio, in a 2025-11-25 session", () => {
  let child: StdioChild;
  let client: Client;

  beforeAll(async () => {
    child = new StdioChild();
    client = new Client({ name: "oversized-test", version: "0" });
    await client.connect(child.transport());
    expect(client.getNegotiatedProtocolVersion()).toBe("2025-11-25");
  });
  afterAll(async () => {
    await child?.stop();
  });

  it("answers a 2 MiB line with one error, then serves tools/list, its memory flat", async () => {
    const before = child.memory();
    const from = child.messages.length;
    await child.writeOpenLine(2 * MiB);
    // The answer comes once the limit is passed, while the line is still open.
    const refusal = await child.next(isRefusal, from);
    await child.write('"}}}\n');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("list_sessions");

    expect(refusal).toMatchObject({
      jsonrpc: "2.0",
      error: { code: -32600, data: { maxLineBytes: MiB } },
    });
    expect((refusal.error as { message: string }).message).toContain("at most 1048576 bytes");
    const after = child.messages.slice(from);
    expect(after.filter(isRefusal)).toHaveLength(1);
    // Never run: the refused request had id 99.
    expect(after.some((message) => message.id === 99)).toBe(false);
    expect(after.indexOf(refusal)).toBeLessThan(after.findIndex((m) => "result" in m));
    expect(refusalsLogged(child.stderr)).toBe(1);
    expect(child.stderr).toContain("the next messages are served as usual");
    const now = child.memory();
    // Peak now against resident before, generous: holding the line (and parsing it) costs
    // several times its 2 MiB; nothing of it is kept here.
    if (before !== undefined && now !== undefined) expect(now.peak - before.rss).toBeLessThan(16);
  });

  it("answers a line that does not end, and holds none of it (256 MiB sent)", async () => {
    const before = child.memory();
    const from = child.messages.length;
    await child.writeOpenLine(256 * MiB);
    await child.next(isRefusal, from);
    const during = child.memory();
    // Half the line, at most: what grows is read buffers waiting for the garbage collector.
    if (before !== undefined && during !== undefined) {
      expect(during.peak - before.rss).toBeLessThan(128);
    }
    await child.write('"}}}\n');
    const result = await client.callTool({ name: "list_accounts", arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(child.messages.slice(from).filter(isRefusal)).toHaveLength(1);
    expect(refusalsLogged(child.stderr)).toBe(2);
  });
});

describe("a refused first line on stdio", () => {
  let child: StdioChild | undefined;
  afterAll(async () => {
    await child?.stop();
  });

  it("leaves the revision to the next message: a 2026-07-28 client is served", async () => {
    child = new StdioChild();
    await child.writeOpenLine(2 * MiB);
    await child.write('"}}}\n');
    await child.next(isRefusal);
    const client = new Client(
      { name: "oversized-modern", version: "0" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(child.transport());
    expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("list_sessions");
    expect(child.messages.filter(isRefusal)).toHaveLength(1);
  });
});
