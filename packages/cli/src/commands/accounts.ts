import type { ParsedArgs } from "../args.js";
import type { Command, CommandContext } from "../command.js";
import { write } from "../io.js";
import { formatOf, OUTPUT_OPTIONS, renderCsv, renderTable } from "../output.js";

export const accountsCommand: Command = {
  name: "accounts",
  summary: "the accounts the sign-in reaches (IDs for --account)",
  usage: "evo-sessions accounts [--json|--csv|--table]",
  options: { ...OUTPUT_OPTIONS },
  run: runAccounts,
};

async function runAccounts({ values }: ParsedArgs, ctx: CommandContext): Promise<number> {
  const format = formatOf(values, ctx.io.stdout);
  const { client } = await ctx.backend();
  const status = await client.authStatus({ signal: ctx.io.signal });
  const rows = status.accounts.map((a) => [a.id, a.name ?? ""]);
  if (format === "json") {
    await write(
      ctx.io.stdout,
      status.accounts.map((a) => `${JSON.stringify({ id: a.id, name: a.name })}\n`).join(""),
    );
  } else if (format === "csv") {
    await write(ctx.io.stdout, renderCsv(["id", "name"], rows));
  } else {
    await write(ctx.io.stdout, renderTable(["id", "name"], rows, 60));
  }
  return 0;
}
