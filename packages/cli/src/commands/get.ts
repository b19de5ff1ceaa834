import {
  formatDateTime,
  formatDuration,
  parseEvoDate,
  sessionFacts,
  sessionRecord,
  classifySession,
  type SessionInfo,
} from "@evo-sessions/core";
import type { ParsedArgs } from "../args.js";
import type { Command, CommandContext } from "../command.js";
import { usageError } from "../errors.js";
import { zoneOf, FILTER_OPTIONS } from "../filters.js";
import { write } from "../io.js";
import { formatOf, OUTPUT_OPTIONS, renderCsv, renderTable } from "../output.js";

export const getCommand: Command = {
  name: "get",
  summary: "one session with its facts, members and full log",
  usage: "evo-sessions get ID [--json|--table] [--time-zone ZONE]",
  positionals: { min: 1, max: 1, names: "ID" },
  options: { ...OUTPUT_OPTIONS, "time-zone": FILTER_OPTIONS["time-zone"]! },
  details: "--json prints every field of the session, its log included. --csv prints the log.",
  run: runGet,
};

async function runGet({ values, positionals }: ParsedArgs, ctx: CommandContext): Promise<number> {
  const id = positionals[0]?.trim();
  if (id === undefined || id === "") throw usageError("ID", "name the session to show");
  const format = formatOf(values, ctx.io.stdout);
  const timeZone = zoneOf(values, ctx.env.timeZone);
  const { client } = await ctx.backend();
  const session = await client.getSession(id, { signal: ctx.io.signal });
  if (format === "json") {
    await write(
      ctx.io.stdout,
      `${JSON.stringify(sessionRecord(session, { includeLog: true }), null, 2)}\n`,
    );
  } else if (format === "csv") {
    await write(ctx.io.stdout, renderCsv(["date", "message"], logRows(session, timeZone)));
  } else {
    await write(ctx.io.stdout, detailsText(session, timeZone, ctx.now()));
  }
  return 0;
}

function logRows(session: SessionInfo, timeZone: string): string[][] {
  return (session.log ?? []).map((entry) => {
    const date = parseEvoDate(entry.date);
    return [
      date === undefined ? (entry.date ?? "") : formatDateTime(date, timeZone),
      entry.message ?? "",
    ];
  });
}

function detailsText(session: SessionInfo, timeZone: string, now: Date): string {
  const f = sessionFacts(session, now);
  const cls = classifySession(session);
  const party = (p: { name?: string; address?: string }) =>
    [p.name, p.address].filter(Boolean).join(" ") || "—";
  const ms = (v: number | undefined) => (v === undefined ? "—" : formatDuration(v));
  const facts: [string, string][] = [
    ["id", session.id ?? "—"],
    [
      "started",
      f.startedAt === undefined ? "—" : `${formatDateTime(f.startedAt, timeZone)} (${timeZone})`,
    ],
    ["direction", `${f.direction ?? "—"} ${f.channel ?? ""}`.trim()],
    ["from", party(f.from)],
    ["to", party(f.to)],
    [
      "outcome",
      `${f.outcome.kind}${f.outcome.text === undefined ? "" : ` (“${f.outcome.text}”)`}${f.outcome.missed ? ", missed" : ""}`,
    ],
    [
      "class",
      "reason" in cls
        ? `${cls.kind}: ${cls.reason}`
        : "result" in cls
          ? `${cls.kind}: ${cls.result}`
          : cls.kind,
    ],
    ["answered by", f.answeredBy ?? "—"],
    ["ring / talk", `${ms(f.ringTimeMs)} / ${ms(f.talkTimeMs)}`],
    ["duration", ms(f.durationMs)],
    [
      "account",
      [session.accountName, session.accountId && `(${session.accountId})`]
        .filter(Boolean)
        .join(" ") || "—",
    ],
    ["customer", session.customerName ?? "—"],
    ["endpoint", session.endpointName ?? "—"],
  ];
  const head = facts.map(([k, v]) => `${k.padEnd(12)} ${v}`).join("\n");
  const members = (session.members ?? []).map((m) => [
    m.displayName ?? "",
    m.identity ?? "",
    String(m.role ?? ""),
    String(m.callState ?? ""),
  ]);
  const memberText =
    members.length === 0
      ? ""
      : `\nMembers\n${renderTable(["name", "identity", "role", "state"], members)}`;
  const log = logRows(session, timeZone);
  const logText =
    log.length === 0 ? "\nLog: empty\n" : `\nLog\n${renderTable(["when", "message"], log, 120)}`;
  return `${head}\n${memberText}${logText}`;
}
