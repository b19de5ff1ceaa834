#!/usr/bin/env node
/** The `evo-sessions` executable: process wiring only (signals, exit status). */
import { run } from "./main.js";

const controller = new AbortController();
let interrupts = 0;
const stop = (): void => {
  interrupts++;
  // A second Ctrl-C leaves at once; the first lets the command write what it has.
  if (interrupts > 1) process.exit(130);
  controller.abort();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
