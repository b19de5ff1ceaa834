/**
 * One writer at a time: `STORE.lock`, created exclusively, names the process holding it. A
 * second run waits (polling, up to its timeout) or refuses with who holds it; a lock whose
 * process is gone is taken over.
 */
import { hostname } from "node:os";
import { open, readFile, rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { CliError } from "../errors.js";

export interface LockOptions {
  /** How long to wait for the lock (0: refuse at once). */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Told once when this run starts waiting. */
  onWait?: (holder: string) => void;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/** Takes the lock of `storePath`; resolves to its release. */
export async function acquireLock(
  storePath: string,
  options: LockOptions,
): Promise<() => Promise<void>> {
  const path = `${storePath}.lock`;
  const started = Date.now();
  let told = false;
  for (;;) {
    const release = await tryLock(path);
    if (release !== undefined) return release;
    const holder = await readHolder(path);
    if (holder !== undefined && holder.host === hostname() && !alive(holder.pid)) {
      await rm(path, { force: true });
      continue;
    }
    const who =
      holder === undefined
        ? "another run"
        : `process ${holder.pid} on ${holder.host} (since ${holder.since})`;
    if (Date.now() - started >= options.timeoutMs) {
      throw new CliError(
        "store_locked",
        `${storePath} is being synced by ${who}${options.timeoutMs > 0 ? `; waited ${Math.round(options.timeoutMs / 1000)} s` : ""}. Try again when it is done (--wait SECONDS waits longer); delete ${path} only if no sync is running.`,
        { argument: "--store" },
      );
    }
    if (!told) options.onWait?.(who);
    told = true;
    await sleep(
      Math.min(100, options.timeoutMs),
      undefined,
      options.signal === undefined ? {} : { signal: options.signal },
    );
  }
}

async function tryLock(path: string): Promise<(() => Promise<void>) | undefined> {
  try {
    const handle = await open(path, "wx");
    const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    await handle.writeFile(JSON.stringify(holder));
    await handle.close();
    return () => rm(path, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw error;
  }
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Holder;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
