/** Progress of long work on stderr (cli-progress), only where a person watches a terminal. */
import cliProgress from "cli-progress";
import type { OutStream } from "./io.js";

/** A progress display; every method is a no-op where there is no terminal. */
export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/** A bar with rate and ETA on `stream` when it is a terminal (or `force`), else nothing. */
export function startProgress(
  stream: OutStream,
  unit: string,
  options: { force?: boolean } = {},
): Progress {
  if (stream.isTTY !== true && options.force !== true) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: `{bar} {percentage}% | {value}/{total} ${unit} | {speed}/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      noTTYOutput: stream.isTTY !== true,
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let total = 0;
  bar.start(0, 0, { speed: "0" });
  return {
    update(done, newTotal) {
      if (newTotal !== undefined && newTotal !== total) {
        total = Math.max(newTotal, done);
        bar.setTotal(total);
      }
      if (done > total) {
        total = done;
        bar.setTotal(total);
      }
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(done, { speed: Math.round(done / seconds).toLocaleString("en-US") });
    },
    stop() {
      bar.stop();
    },
  };
}
