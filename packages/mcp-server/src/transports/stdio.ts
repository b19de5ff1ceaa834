/**
 * stdio with a bounded line: the SDK's StdioServerTransport collects stdin until a newline (up to
 * 10 MB, then it closes the connection), so one huge message, or a client that never ends its
 * line, costs that much memory and ends the session. Here stdin first passes {@link LineLimit},
 * which hands the transport whole lines only and drops a line longer than the HTTP body limit
 * as it arrives (never holding it), answers it with a JSON-RPC error and goes on with the next
 * line. The SDK is used as it is: the guarded stream is what its transport reads.
 */
import { Transform, type Readable, type TransformCallback, type Writable } from "node:stream";
import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { silentLogger, type Logger } from "../log.js";
import { MAX_REQUEST_BODY_BYTES } from "./http.js";

/** Longest line read from stdin (bytes, newline not counted): the same limit as an HTTP body. */
export const MAX_STDIO_LINE_BYTES = MAX_REQUEST_BODY_BYTES;

/** JSON-RPC "Invalid Request": stdio has no status code to say 413, so the standard code says it. */
export const LINE_TOO_LONG_CODE = -32600;

const NEWLINE = 0x0a;

/** Options of {@link LineLimit}. */
export interface LineLimitOptions {
  /** Longest line passed on, in bytes, not counting its `\n` (default {@link MAX_STDIO_LINE_BYTES}). */
  maxLineBytes?: number;
  /** Called once per refused line, as soon as it is known to be too long (before its newline). */
  onOversized?: (maxLineBytes: number) => void;
}

/**
 * Passes on complete lines (each with its `\n`, bytes unchanged) and drops any line longer than
 * `maxLineBytes`: the part already held is released when the limit is passed, the rest is
 * skipped up to its newline as it arrives. At most `maxLineBytes` of an unfinished line are held,
 * whatever the input. Lines are cut at the byte 0x0A only, which never occurs inside a multi-byte
 * UTF-8 character, so chunks may split characters anywhere. An unfinished line at the end of the
 * input is dropped (the SDK would never have read it either).
 */
export class LineLimit extends Transform {
  readonly maxLineBytes: number;
  private readonly onOversized: (maxLineBytes: number) => void;
  /** The unfinished line so far, when it is within the limit. */
  private pending: Buffer[] = [];
  private pendingSize = 0;
  /** Inside a refused line: everything up to the next newline is dropped. */
  private skipping = false;

  constructor(options: LineLimitOptions = {}) {
    super();
    this.maxLineBytes = options.maxLineBytes ?? MAX_STDIO_LINE_BYTES;
    if (!Number.isInteger(this.maxLineBytes) || this.maxLineBytes < 1) {
      throw new RangeError(
        `maxLineBytes must be a whole number of at least 1 (got ${this.maxLineBytes}).`,
      );
    }
    this.onOversized = options.onOversized ?? (() => {});
  }

  /** Bytes of the unfinished line held now (at most {@link maxLineBytes}). */
  get heldBytes(): number {
    return this.pendingSize;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.skipping) {
        if (newline === -1) break;
        this.skipping = false;
      } else if (this.pendingSize + (end - start) > this.maxLineBytes) {
        this.refuse();
        this.skipping = newline === -1;
      } else if (newline === -1) {
        // A copy, so that the start of the chunk (earlier lines) is not kept alive with it.
        this.pending.push(start === 0 ? chunk : Buffer.from(chunk.subarray(start)));
        this.pendingSize += chunk.length - start;
      } else {
        this.pushLine(chunk.subarray(start, newline + 1));
      }
      start = end + 1;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.pending = [];
    this.pendingSize = 0;
    callback();
  }

  private pushLine(last: Buffer): void {
    if (this.pending.length === 0) {
      this.push(last);
      return;
    }
    this.pending.push(last);
    const line = Buffer.concat(this.pending, this.pendingSize + last.length);
    this.pending = [];
    this.pendingSize = 0;
    this.push(line);
  }

  private refuse(): void {
    this.pending = [];
    this.pendingSize = 0;
    try {
      this.onOversized(this.maxLineBytes);
    } catch {
      // Reporting must not stop the stream.
    }
  }
}

/** Options of {@link createStdioTransport}. */
export interface StdioTransportOptions {
  /** Default `process.stdin`. */
  stdin?: Readable;
  /** Default `process.stdout`. */
  stdout?: Writable;
  /** Default {@link MAX_STDIO_LINE_BYTES}. */
  maxLineBytes?: number;
  log?: Logger;
}

/**
 * The error answered for a refused line. Its id is null, as JSON-RPC asks when the request's id
 * could not be read (the SDK's type has no null id, hence the cast; HTTP answers the same way).
 */
export function lineTooLongError(maxLineBytes: number): JSONRPCMessage {
  return {
    jsonrpc: "2.0",
    id: null,
    error: {
      code: LINE_TOO_LONG_CODE,
      message: `Payload too large: a message on stdio may be at most ${maxLineBytes} bytes (one line). This one was skipped up to its newline and not run; the next lines are read as usual.`,
      data: { maxLineBytes },
    },
  } as unknown as JSONRPCMessage;
}

/**
 * The SDK's StdioServerTransport reading stdin through a {@link LineLimit}: hand it to
 * `serveStdio({ transport })`, which still picks the protocol revision from the first message it
 * gets (a refused line is never one). A refused line is answered on stdout with
 * {@link lineTooLongError} and logged once on stderr.
 */
export function createStdioTransport(options: StdioTransportOptions = {}): StdioServerTransport {
  const stdin = options.stdin ?? process.stdin;
  const log = options.log ?? silentLogger;
  const guard = new LineLimit({
    maxLineBytes: options.maxLineBytes ?? MAX_STDIO_LINE_BYTES,
    onOversized: (max) => {
      log.warn(
        `stdio: refused a message longer than ${max} bytes (the limit per message, as for an HTTP request body): it is skipped up to its newline, unread and not run, and answered with JSON-RPC error ${LINE_TOO_LONG_CODE} (id null); the next messages are served as usual. A request is normally a few hundred bytes: check what the client sends (a whole file pasted into a tool argument, or a writer that never ends its line).`,
      );
      transport.send(lineTooLongError(max)).catch(() => {});
    },
  });
  const transport = new StdioServerTransport(guard, options.stdout ?? process.stdout);
  // pipe() does not pass errors on: a failing stdin ends the stream the transport reads, as a
  // failing stdin did before (the transport reports the error and closes).
  stdin.on("error", (error) => guard.destroy(error));
  stdin.pipe(guard);
  return transport;
}
