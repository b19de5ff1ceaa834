import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/server";
import type { EvoSessionsContext } from "../context.js";
import { Answer, counted, jsonChars } from "./answer.js";
import { SandboxFlagSchema, sandboxFlag } from "./common-schemas.js";
import { registerEvoTool } from "./register.js";
import { readAccountList } from "./account-list.js";
import { runTool } from "./results.js";

/** Arguments of `list_accounts` (none). */
export const listAccountsInput = z.strictObject({});

/** Structured answer of `list_accounts`. */
export const listAccountsOutput = z.object({
  sandbox: SandboxFlagSchema,
  signedInAs: z.string().optional().describe("Display name (or user name) of the sign-in"),
  roles: z.array(z.string()),
  source: z.enum(["ListAccounts", "auth/status"]).describe("Where the accounts were read"),
  accountsReachable: z.number().describe("How many accounts the sign-in reaches"),
  accounts: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        isDefault: z
          .boolean()
          .describe("Searched when a call names no accountIds (from EVO_VOICE_ACCOUNT_IDS)"),
      }),
    )
    .describe("{id, name, isDefault}"),
  defaultAccountIds: z.array(z.string()).describe("Empty: all are searched"),
});

/** Registers `list_accounts`. */
export function registerListAccounts(server: McpServer, ctx: EvoSessionsContext): void {
  registerEvoTool(
    server,
    ctx,
    "list_accounts",
    {
      title: "List reachable Evo Voice accounts",
      description:
        "The accounts this sign-in reaches, their IDs (for accountIds) and the default(s).",
      inputSchema: listAccountsInput,
      outputSchema: listAccountsOutput,
    },
    (_args, extra) =>
      runTool(ctx, async () => {
        const status = await ctx.authStatus({ signal: extra.signal });
        const listed = await readAccountList(ctx, status, extra.signal);
        const defaults = new Set(ctx.config.defaultAccountIds);
        const accounts = listed.accounts.map((account) => ({
          id: account.id,
          name: account.name,
          isDefault: defaults.size === 0 || defaults.has(account.id),
        }));
        const who = status.displayName ?? status.userName;
        const roles = status.roles.length > 0 ? ` (roles: ${status.roles.join(", ")})` : "";
        const answer = new Answer(ctx, [
          `Signed in${who === undefined ? "" : ` as ${who}`}${roles}; ${counted(accounts.length, "account")} reachable (from ${listed.source === "ListAccounts" ? "ListAccounts" : "the sign-in's status; this role may not call ListAccounts"}):`,
        ]);
        const structured = {
          ...sandboxFlag(ctx.backend.kind),
          ...(who === undefined ? {} : { signedInAs: who }),
          roles: status.roles,
          source: listed.source,
          accountsReachable: accounts.length,
          accounts: [] as typeof accounts,
          defaultAccountIds: ctx.config.defaultAccountIds,
        };
        answer.spend(jsonChars(structured));
        const shown = answer.fit(accounts, (account) => ({
          text: `  ${account.name || "(unnamed)"} · id ${account.id}${defaults.has(account.id) ? " · DEFAULT" : ""}`,
          extraChars: jsonChars(account) + 1,
          onAdded: () => structured.accounts.push(account),
        }));
        if (shown < accounts.length) {
          answer.leftOut(
            counted(accounts.length - shown, "more account"),
            "pass an ID you know as accountIds, or set EVO_VOICE_ACCOUNT_IDS to the accounts you use",
          );
        }
        const missing = ctx.config.defaultAccountIds.filter(
          (id) => !status.accounts.some((account) => account.id === id),
        );
        answer.line(
          defaults.size === 0
            ? "No default account is configured (EVO_VOICE_ACCOUNT_IDS): calls without accountIds search all of these."
            : `Calls without accountIds search the DEFAULT account(s) (EVO_VOICE_ACCOUNT_IDS).${missing.length > 0 ? ` Warning: configured default(s) ${missing.join(", ")} are not reachable by this sign-in.` : ""}`,
        );
        return answer.result(structured);
      }),
  );
}
