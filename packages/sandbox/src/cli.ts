#!/usr/bin/env node
import { CliArgumentError, USAGE, parseCliArgs, type CliOptions } from "./cli-args.js";
import { startSandbox } from "./server.js";

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CliArgumentError) {
      console.error(`evo-sessions-sandbox: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const started = Date.now();
  const sandbox = await startSandbox(options.sandbox);
  for (const fault of options.faults) sandbox.faults.inject(fault);
  const lines = [
    `Evo Voice sandbox listening on ${sandbox.url} (${options.sandbox.sessions ?? 0} sessions, seed ${options.sandbox.seed ?? 42}, ready in ${Date.now() - started} ms)`,
    "Demo users (user / password: accounts):",
    ...sandbox.users.map(
      (user) =>
        `  ${user.userName} / ${user.password}: ${user.kind === "admin" ? "every account" : `${user.accountIds.length} account(s)`}`,
    ),
    `Try: curl -u demo:demo-password "${sandbox.url}/sessions?countPerPage=2"`,
  ];
  if (options.faults.length > 0)
    lines.push(`Faults: ${options.faults.map((f) => f.fault.type).join(", ")}`);
  console.log(lines.join("\n"));
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`evo-sessions-sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
