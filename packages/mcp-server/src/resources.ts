import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceTemplate,
  type McpServer,
} from "@modelcontextprotocol/server";
import type { EvoSessionsContext } from "./context.js";
import { sessionUri } from "./format/session-summary.js";
import { SESSION_URI_TEMPLATE } from "./tools/common-schemas.js";
import { renderSession } from "./tools/get-session.js";
import { EVO_ICONS } from "./tools/register.js";
import { describeFailure } from "./tools/results.js";

export { SESSION_URI_TEMPLATE };

/**
 * Registers the session resource template: each session of a list answer is readable at
 * `evo-sessions://sessions/{id}`; listing offers the sessions seen recently, and the id completes
 * from every session the server has shown.
 */
export function registerResources(server: McpServer, ctx: EvoSessionsContext): void {
  server.registerResource(
    "session",
    new ResourceTemplate(SESSION_URI_TEMPLATE, {
      list: () => ({
        resources: ctx.directory.recent("session", 50).map(({ id, label }) => ({
          uri: sessionUri(id),
          name: `session ${id}`,
          ...(label === "" ? {} : { description: label }),
          mimeType: "text/plain",
        })),
      }),
      complete: { id: (value) => ctx.directory.complete("session", value) },
    }),
    {
      title: "Evo Voice session",
      description:
        "One session with its members and the first entries of its log (get_session pages through the rest).",
      mimeType: "text/plain",
      icons: EVO_ICONS,
    },
    async (uri, variables, extra) => {
      const raw = variables.id;
      const id = decodeSessionId(Array.isArray(raw) ? (raw[0] ?? "") : (raw ?? ""));
      try {
        ctx.signInGate.check();
        const session = await ctx.client.getSession(id, { signal: extra.mcpReq.signal });
        ctx.directory.noteSession(session);
        const rendered = renderSession(ctx, session, { id });
        const text = rendered.content[0]?.type === "text" ? rendered.content[0].text : "";
        return { contents: [{ uri: uri.href, mimeType: "text/plain", text }] };
      } catch (error) {
        // Resource reads have no isError: the failure is the content, worded like a tool error.
        return {
          contents: [
            {
              uri: uri.href,
              mimeType: "text/plain",
              text: describeFailure(ctx, error, { sessionId: id }),
            },
          ],
        };
      }
    },
  );
}

/**
 * The session ID of a resource URI, percent-decoded. A malformed escape (`%E0%A4%A`) is the
 * client's mistake: it gets "invalid params" saying so, not an internal error.
 */
function decodeSessionId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    const shown = raw.length > 60 ? `${raw.slice(0, 59)}…` : raw;
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Invalid session URI: the ID ${JSON.stringify(shown)} is not valid percent-encoding. Use the URI exactly as a list_sessions answer gives it (evo-sessions://sessions/{id}, the ID percent-encoded as UTF-8).`,
    );
  }
}
