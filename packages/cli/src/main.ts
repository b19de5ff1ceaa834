/** The `evo-sessions` command line: dispatch, help, errors and exit statuses. */
import { AbortedError, EvoVoiceError } from "@evo-sessions/core";
import { optionHelp, parseCommandLine } from "./args.js";
import type { Backend } from "./backend.js";
import { connect } from "./backend.js";
import type { Command, CommandContext } from "./command.js";
import { accountsCommand } from "./commands/accounts.js";
import { exportCommand } from "./commands/export.js";
import { getCommand } from "./commands/get.js";
import { listCommand } from "./commands/list.js";
import { sqlCommand } from "./commands/sql.js";
import { statsCommand } from "./commands/stats.js";
import { syncCommand } from "./commands/sync.js";
import { ENVIRONMENT_VARIABLES, readEnvironment } from "./env.js";
import { CliError, EXIT_CODES } from "./errors.js";
import { notice, write, type CliIo } from "./io.js";
import { VERSION } from "./version.js";

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  listCommand,
  getCommand,
  statsCommand,
  exportCommand,
  syncCommand,
  sqlCommand,
  accountsCommand,
];

export const EXIT_CODES_HELP = `Exit status:
  0    success
  1    Evo Voice, the store or the file system failed (the message says which and what to do)
  2    a bad argument (the message names it), or SQL that is not a read
  3    a bad environment variable (the message names it)
  4    the store is being synced by another run and did not come free in time
  130  interrupted (Ctrl-C or SIGTERM): output so far is written; export and sync resume`;

/** `evo-sessions --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `evo-sessions ${VERSION} — Evo Voice sessions from a terminal: list, stats, export, a local DuckDB store and SQL

Usage: evo-sessions <command> [options]     evo-sessions <command> --help for its options

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join("\n")}

Output: a table on a terminal; JSON when stdout is piped (--json, --csv or --table to choose).
Progress and notices go to stderr.

Environment (the same as the MCP server's; secrets never on the command line):
${Object.entries(ENVIRONMENT_VARIABLES)
  .map(([name, text]) => `  ${name.padEnd(30)} ${text}`)
  .join("\n")}
Without EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD an embedded sandbox of generated demo
sessions is used, and stderr says so.

${EXIT_CODES_HELP}
`;
}

/** `evo-sessions COMMAND --help`. */
export function commandHelp(command: Command): string {
  return `evo-sessions ${command.name} — ${command.summary}

Usage: ${command.usage}

Options:
${optionHelp({ ...command.options, help: { type: "boolean", short: "h", description: "this help" } })}
${command.details === undefined ? "" : `\n${command.details}\n`}
${EXIT_CODES_HELP}
`;
}

/** Runs the command line `argv` (without node and the script); resolves to the exit status. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let backend: Promise<Backend> | undefined;
  try {
    return await dispatch(argv, io, (ctx) => (backend ??= connect(ctx.env, io)));
  } catch (error) {
    return report(error, io);
  } finally {
    if (backend !== undefined) await (await backend.catch(() => undefined))?.close();
  }
}

async function dispatch(
  argv: string[],
  io: CliIo,
  backendOf: (ctx: CommandContext) => Promise<Backend>,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = COMMANDS.find((c) => c.name === rest[0]);
    await write(io.stdout, topic === undefined ? mainHelp() : commandHelp(topic));
    return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  if (name === "--version" || name === "-v") {
    await write(io.stdout, `${VERSION}\n`);
    return EXIT_CODES.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    throw new CliError(
      "usage",
      `${name}: unknown command (commands: ${COMMANDS.map((c) => c.name).join(", ")}; see evo-sessions --help)`,
      { argument: name },
    );
  }
  const args = parseCommandLine(command.name, rest, {
    ...command.options,
    help: { type: "boolean", short: "h", description: "" },
  });
  if (args.values.help === true) {
    await write(io.stdout, commandHelp(command));
    return EXIT_CODES.ok;
  }
  checkPositionals(command, args.positionals);
  const ctx: CommandContext = {
    io,
    env: readEnvironment(io.env),
    now: io.now ?? (() => new Date()),
    backend: () => backendOf(ctx),
  };
  return command.run(args, ctx);
}

function checkPositionals(command: Command, positionals: string[]): void {
  const spec = command.positionals ?? { min: 0, max: 0, names: "" };
  if (positionals.length > spec.max) {
    const extra = positionals[spec.max]!;
    throw new CliError(
      "usage",
      `${extra}: unexpected argument (see evo-sessions ${command.name} --help)`,
      { argument: extra },
    );
  }
  if (positionals.length < spec.min) {
    throw new CliError("usage", `${spec.names}: missing (usage: ${command.usage})`, {
      argument: spec.names,
    });
  }
}

function report(error: unknown, io: CliIo): number {
  if (
    io.signal.aborted &&
    (error instanceof AbortedError || (error instanceof CliError && error.code === "interrupted"))
  ) {
    notice(io, `evo-sessions: interrupted${error instanceof CliError ? `: ${error.message}` : ""}`);
    return EXIT_CODES.interrupted;
  }
  if (error instanceof CliError) {
    notice(io, `evo-sessions: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof EvoVoiceError) {
    notice(io, `evo-sessions: ${error.message}`);
    return error.code === "invalid_query" || error.code === "invalid_option"
      ? EXIT_CODES.usage
      : EXIT_CODES.failure;
  }
  notice(io, `evo-sessions: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT_CODES.failure;
}
