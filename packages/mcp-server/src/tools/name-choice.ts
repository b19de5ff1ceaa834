/**
 * Ambiguous names settled by asking the user (MCP elicitation): when a `customers`/`endpoints`
 * name fits several entries and the client declared the elicitation capability (form mode), the
 * tool call answers with an input request — pick one of the candidates (their names and IDs) —
 * and runs again with the chosen ID in the name's place. Written once for both revisions with
 * the SDK's multi-round-trip results (`inputRequired`): on 2026-07-28 the client retries the call
 * with the answer, on 2025-11-25 the SDK sends `elicitation/create` itself and runs the handler
 * again. Declined, cancelled, or a client without the capability: the `isError` listing the
 * candidates, as before.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  type ClientCapabilities,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { ToolReply, ToolRun } from "../call-guard.js";
import { nameChoiceOf, type NameChoice } from "./results.js";

/** The choices made so far, by {@link choiceKey}: the chosen ID. */
type Choices = Record<string, string>;

/** Most characters of the choices carried between rounds (`requestState`). */
const MAX_STATE_CHARS = 4000;

/** `customers.0`: the argument and the place of the name in its list. */
function choiceKey(choice: Pick<NameChoice, "argument" | "index">): string {
  return `${choice.argument}.${choice.index}`;
}

/**
 * Whether the client takes form-mode elicitation: the request's own capabilities on
 * 2026-07-28, the session's (from `initialize`) on 2025-11-25.
 */
export function canElicit(server: McpServer, sdk: ServerContext): boolean {
  const envelope = sdk.mcpReq.envelope as Record<string, unknown> | undefined;
  const caps = (envelope?.[CLIENT_CAPABILITIES_META_KEY] ??
    server.server.getClientCapabilities()) as ClientCapabilities | undefined;
  const elicitation = caps?.elicitation as { form?: object; url?: object } | undefined;
  if (elicitation === undefined) return false;
  return elicitation.form !== undefined || elicitation.url === undefined;
}

/**
 * The choices of earlier rounds (`requestState`, made by this server but echoed by the client,
 * so checked like any argument: a chosen ID goes where the user could have typed an ID anyway)
 * plus this round's answers; `declined` when the user declined or cancelled a question.
 */
function readChoices(sdk: ServerContext): { choices: Choices; declined: boolean } {
  const choices: Choices = {};
  const state = sdk.mcpReq.requestState();
  if (typeof state === "string" && state.length <= MAX_STATE_CHARS) {
    try {
      const parsed: unknown = JSON.parse(state);
      if (parsed !== null && typeof parsed === "object")
        for (const [key, id] of Object.entries(parsed))
          if (/^(customers|endpoints)\.\d{1,2}$/.test(key) && typeof id === "string")
            choices[key] = id;
    } catch {
      // Not ours: ask again.
    }
  }
  let declined = false;
  for (const key of Object.keys(sdk.mcpReq.inputResponses ?? {})) {
    if (!/^(customers|endpoints)\.\d{1,2}$/.test(key)) continue;
    const answer = inputResponse(sdk.mcpReq.inputResponses, key);
    if (answer.kind !== "elicit") continue;
    const picked = answer.content?.choice;
    if (answer.action === "accept" && typeof picked === "string" && picked.trim() !== "")
      choices[key] = picked.trim();
    else declined = true;
  }
  return { choices, declined };
}

/** The arguments with each chosen ID in place of the ambiguous name it settles. */
function withChoices<A>(args: A, choices: Choices): A {
  if (Object.keys(choices).length === 0 || args === null || typeof args !== "object") return args;
  const out = { ...args } as Record<string, unknown>;
  for (const [key, id] of Object.entries(choices)) {
    const [argument, at] = key.split(".") as [string, string];
    const list = out[argument];
    if (!Array.isArray(list) || Number(at) >= list.length) continue;
    out[argument] = list.map((item: unknown, i) => (i === Number(at) ? id : item));
  }
  return out as A;
}

/** The question: which of the candidates the name means. */
function question(choice: NameChoice, choices: Choices): InputRequiredResult {
  const kind = choice.argument === "customers" ? "customer" : "endpoint";
  const state = JSON.stringify(choices);
  return inputRequired({
    inputRequests: {
      [choiceKey(choice)]: inputRequired.elicit({
        mode: "form",
        message: `${JSON.stringify(choice.name)} fits ${choice.candidates.length} ${kind}s. Which one did you mean?`,
        requestedSchema: {
          type: "object",
          properties: {
            choice: {
              type: "string",
              title: `The ${kind}`,
              oneOf: choice.candidates.map((c) => ({ const: c.id, title: c.label })),
            },
          },
          required: ["choice"],
        },
      }),
    },
    ...(state === "{}" || state.length > MAX_STATE_CHARS ? {} : { requestState: state }),
  });
}

/**
 * A tool's work with ambiguous names settled by asking, where the client can be asked (see the
 * module's comment). Every tool gets it from registerEvoTool; tools without name arguments
 * never see a choice.
 */
export function withNameChoices<A>(server: McpServer, run: ToolRun<A>): ToolRun<A> {
  return async (args, extra): Promise<ToolReply> => {
    const { choices, declined } = readChoices(extra.mcp);
    const result = await run(withChoices(args, choices), extra);
    const choice = nameChoiceOf(result);
    if (choice === undefined || declined || choiceKey(choice) in choices) return result;
    if (!canElicit(server, extra.mcp)) return result;
    return question(choice, choices);
  };
}
