import type { ParsedArgs, OptionSpecs } from "./args.js";
import type { Backend } from "./backend.js";
import type { CliEnvironment } from "./env.js";
import type { CliIo } from "./io.js";

/** What a command runs with. */
export interface CommandContext {
  io: CliIo;
  env: CliEnvironment;
  /** Connects on first call (Evo Voice or the embedded sandbox) and returns the same backend after. */
  backend(): Promise<Backend>;
  now(): Date;
}

/** One subcommand: its options (parsing and help) and what it does. */
export interface Command {
  name: string;
  summary: string;
  /** `evo-sessions list [filters] [options]` */
  usage: string;
  options: OptionSpecs;
  /** Positional arguments in the help, e.g. `ID`. */
  positionals?: { min: number; max: number; names: string };
  /** More help: examples, formats, notes. */
  details?: string;
  /** Returns the exit status. */
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}
