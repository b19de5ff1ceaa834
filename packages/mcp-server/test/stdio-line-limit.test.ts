import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { MAX_REQUEST_BODY_BYTES } from "../src/transports/http.js";
import {
  createStdioTransport,
  LINE_TOO_LONG_CODE,
  LineLimit,
  MAX_STDIO_LINE_BYTES,
} from "../src/transports/stdio.js";

/** Feeds `chunks` through a LineLimit; what came out, how many refusals, most bytes held. */
function run(chunks: (Buffer | string)[], maxLineBytes: number) {
  let refusals = 0;
  let maxHeld = 0;
  const guard = new LineLimit({ maxLineBytes, onOversized: () => refusals++ });
  const out: Buffer[] = [];
  guard.on("data", (chunk: Buffer) => out.push(chunk));
  for (const chunk of chunks) {
    guard.write(chunk);
    maxHeld = Math.max(maxHeld, guard.heldBytes);
  }
  guard.end();
  return { out: Buffer.concat(out), chunks: out, refusals, maxHeld };
}

/** `input` cut at each offset of `cuts`. */
function cut(input: Buffer, cuts: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (const at of [...cuts, input.length]) {
    parts.push(input.subarray(from, at));
    from = at;
  }
  return parts;
}

const LIMIT = 16;
// Lines of 16 bytes (at the limit), 17 (one over) and multi-byte characters (é 2, € 3, 🙂 4 bytes).
const exact = "ééé€€🙂"; // 6 + 6 + 4 = 16 bytes
const over = "aaaaaaaaaaaaaa€"; // 14 + 3 = 17 bytes: the limit falls inside the €
const input = Buffer.from(`{"a":"🙂"}\n${exact}\n${over}\n\nnext €\n${"x".repeat(40)}\nlast\n`);
const expected = `{"a":"🙂"}\n${exact}\n\nnext €\nlast\n`;

describe("LineLimit", () => {
  it("uses the HTTP body limit by default", () => {
    expect(MAX_STDIO_LINE_BYTES).toBe(MAX_REQUEST_BODY_BYTES);
    expect(new LineLimit().maxLineBytes).toBe(1024 * 1024);
    expect(Buffer.byteLength(exact)).toBe(LIMIT);
    expect(Buffer.byteLength(over)).toBe(LIMIT + 1);
  });

  it("passes whole lines unchanged and refuses each line over the limit once", () => {
    const result = run([input], LIMIT);
    expect(result.out.toString("utf8")).toBe(expected);
    expect(result.refusals).toBe(2);
    // Every chunk handed on is whole lines: the SDK never sees a part of a line.
    for (const chunk of result.chunks) expect(chunk.at(-1)).toBe(0x0a);
  });

  it("gives the same lines wherever the input is cut in two, also inside a character", () => {
    for (let at = 0; at <= input.length; at++) {
      const result = run(cut(input, [at]), LIMIT);
      expect(result.out.toString("utf8"), `cut at ${at}`).toBe(expected);
      expect(result.refusals, `cut at ${at}`).toBe(2);
      expect(result.maxHeld).toBeLessThanOrEqual(LIMIT);
    }
  });

  it("gives the same lines fed one byte at a time, and cut in three everywhere", () => {
    const bytes = [...input].map((byte) => Buffer.from([byte]));
    expect(run(bytes, LIMIT).out.toString("utf8")).toBe(expected);
    for (let a = 0; a <= input.length; a += 3) {
      for (let b = a; b <= input.length; b += 2) {
        const result = run(cut(input, [a, b]), LIMIT);
        expect(result.out.toString("utf8"), `cut at ${a}, ${b}`).toBe(expected);
        expect(result.refusals).toBe(2);
      }
    }
  });

  it("takes a line of exactly the limit when a chunk ends at the limit", () => {
    const line = Buffer.from(exact);
    // The chunk ends after the 16th byte; the newline comes alone.
    expect(run([line, "\n"], LIMIT)).toMatchObject({ refusals: 0, maxHeld: LIMIT });
    expect(run([line, "\n"], LIMIT).out.toString("utf8")).toBe(`${exact}\n`);
    // Cut inside the last character, then the rest of it with the newline.
    const result = run(
      [line.subarray(0, 14), Buffer.concat([line.subarray(14), Buffer.from("\n")])],
      LIMIT,
    );
    expect(result.out.toString("utf8")).toBe(`${exact}\n`);
  });

  it("refuses the line when the byte after a chunk ending at the limit is not a newline", () => {
    const line = Buffer.from(over);
    const result = run([line.subarray(0, LIMIT), line.subarray(LIMIT), "\nok\n"], LIMIT);
    expect(result.out.toString("utf8")).toBe("ok\n");
    expect(result.refusals).toBe(1);
  });

  it("refuses a long line before its newline, then drops what follows without holding it", () => {
    let refusals = 0;
    const guard = new LineLimit({ maxLineBytes: LIMIT, onOversized: () => refusals++ });
    const out: string[] = [];
    guard.on("data", (chunk: Buffer) => out.push(chunk.toString("utf8")));
    guard.write("0123456789");
    expect(guard.heldBytes).toBe(10);
    guard.write("0123456789");
    expect(refusals).toBe(1);
    expect(guard.heldBytes).toBe(0);
    for (let i = 0; i < 1000; i++) guard.write("€".repeat(100));
    expect(guard.heldBytes).toBe(0);
    guard.write(`still the long line\n{"next":true}\n`);
    guard.end();
    expect(refusals).toBe(1);
    expect(out.join("")).toBe('{"next":true}\n');
  });

  it("drops an unfinished line at the end of the input", () => {
    expect(run(["a\nb"], LIMIT).out.toString("utf8")).toBe("a\n");
  });

  it("refuses a limit that is not a positive whole number", () => {
    expect(() => new LineLimit({ maxLineBytes: 0 })).toThrow(/maxLineBytes/);
    expect(() => new LineLimit({ maxLineBytes: 1.5 })).toThrow(/maxLineBytes/);
  });
});

describe("createStdioTransport", () => {
  it("answers a refused line with a JSON-RPC error on stdout, logs once, reads the next", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const warnings: string[] = [];
    const log = { info() {}, error() {}, warn: (message: string) => warnings.push(message) };
    const transport = createStdioTransport({ stdin, stdout, maxLineBytes: 64, log });
    const received: unknown[] = [];
    const next = new Promise<void>((resolve) => {
      transport.onmessage = (message) => {
        received.push(message);
        resolve();
      };
    });
    await transport.start();
    const answered = new Promise<string>((resolve) => stdout.once("data", (b) => resolve(`${b}`)));
    stdin.write(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${"x".repeat(100)}`);
    const answer = JSON.parse(await answered) as Record<string, unknown>;
    expect(answer).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: {
        code: LINE_TOO_LONG_CODE,
        message: expect.stringContaining("at most 64 bytes") as unknown,
        data: { maxLineBytes: 64 },
      },
    });
    stdin.write(`"}}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n`);
    await next;
    expect(received).toEqual([{ jsonrpc: "2.0", id: 2, method: "ping" }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /refused a message longer than 64 bytes.*skipped.*-32600.*check what/,
    );
    await transport.close();
  });
});
