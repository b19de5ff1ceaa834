import { chromium, type Browser } from "playwright-core";
import type { E2eConfig } from "./config.js";

// The flags this machine needs: no sandbox as root, no GPU, and nothing that reaches for
// Google's servers (the closed network refuses those connections, many at a time).
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Launches Debian's Chromium (never a downloaded browser) through playwright-core. */
export function launchChromium(config: E2eConfig): Promise<Browser> {
  return chromium.launch({
    executablePath: config.chromium,
    headless: !config.headed,
    args: CHROMIUM_FLAGS,
    timeout: 60_000 * config.timeoutScale,
  });
}
