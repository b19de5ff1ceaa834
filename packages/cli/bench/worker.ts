/**
 * One measured task in a process of its own (so its peak RSS is its own): prints one JSON line.
 * Argument: JSON { task, url, userName, password, ... }.
 */
import { writeFile } from "node:fs/promises";
import {
  analyzeSessions,
  classifySession,
  createEvoVoiceClient,
  preferCopy,
  resolveExportColumns,
  SessionQuery,
  type SessionInfo,
  type SourceChoice,
} from "@evo-sessions/core";
import { exportSessions } from "../src/export/run-export.js";
import type { ExportFormat } from "../src/export/sinks.js";
import { openStore, syncStore } from "../src/store/index.js";

interface Args {
  task: "export" | "naive" | "sync" | "agg-sql" | "agg-scan" | "stats-api" | "stats-store";
  url: string;
  userName: string;
  password: string;
  format?: ExportFormat;
  output?: string;
  store?: string;
  from?: string;
  to?: string;
  now?: string;
}

const args = JSON.parse(process.argv[2] ?? "{}") as Args;
const client = createEvoVoiceClient({
  baseUrl: args.url,
  auth: { type: "credentials", userName: args.userName, password: args.password },
});

const AGG_SQL = `SELECT account_id, count(*) FILTER (offered) AS offered, count(*) FILTER (answered) AS answered,
  count(*) FILTER (missed) AS missed, avg(talk_ms) FILTER (answered) AS avg_talk_ms FROM session_classes GROUP BY 1 ORDER BY 1`;

async function task(): Promise<Record<string, unknown>> {
  switch (args.task) {
    case "export": {
      const s = await exportSessions(client, SessionQuery.create(), {
        format: args.format!,
        output: args.output!,
        columns: resolveExportColumns(args.format === "parquet" ? "all" : undefined),
        timeZone: "UTC",
        includeLog: false,
        restart: true,
      });
      return { rows: s.rows, bytes: s.bytes };
    }
    case "naive":
      return naive();
    case "sync": {
      const s = await syncStore(client, {
        store: args.store!,
        from: args.from!,
        to: args.to!,
        now: new Date(args.now!),
      });
      return {
        rows: s.sessions,
        daysRead: s.daysRead,
        daysFrozen: s.daysFrozen,
        storeSessions: s.storeSessions,
      };
    }
    case "agg-sql": {
      const store = await openStore(args.store!);
      const result = await store.query(AGG_SQL, { timeoutMs: 600_000 });
      store.close();
      return { rows: result.rows.length, result: result.rows };
    }
    case "agg-scan":
      return aggScan();
    case "stats-api":
    case "stats-store":
      return stats(args.task === "stats-store");
  }
}

/** What a user does today: page through listSessions one page after another and write JSON. */
async function naive(): Promise<Record<string, unknown>> {
  const all: SessionInfo[] = [];
  for (let page = 0; ; page++) {
    const got = await client.listSessions(SessionQuery.create().oldest().page(page).perPage(1000));
    all.push(...got.items);
    if (!got.hasMorePages || got.items.length === 0) break;
  }
  const text = JSON.stringify(all);
  await writeFile(args.output!, text);
  return { rows: all.length, bytes: text.length };
}

/** The SQL aggregate computed by scanning the API (live and archive) and classifying in JS. */
async function aggScan(): Promise<Record<string, unknown>> {
  const byAccount = new Map<
    string,
    { offered: number; answered: number; missed: number; talk: number; talked: number }
  >();
  let read = 0;
  for (const archive of [false, true]) {
    const q = SessionQuery.create().between(args.from!, args.to!).archive(archive).oldest();
    for await (const { session } of client.scan(q, {
      cap: Number.MAX_SAFE_INTEGER,
      pageSize: 1000,
      concurrency: 4,
    })) {
      read++;
      const a = byAccount.get(session.accountId ?? "") ?? {
        offered: 0,
        answered: 0,
        missed: 0,
        talk: 0,
        talked: 0,
      };
      const cls = classifySession(session);
      if (cls.kind === "inbound-answered") {
        a.offered++;
        a.answered++;
        if (cls.talkMs !== undefined) {
          a.talk += cls.talkMs;
          a.talked++;
        }
      } else if (cls.kind === "inbound-missed") {
        a.offered++;
        a.missed++;
      }
      byAccount.set(session.accountId ?? "", a);
    }
  }
  const result = [...byAccount.entries()].sort().map(([account_id, a]) => ({
    account_id,
    offered: a.offered,
    answered: a.answered,
    missed: a.missed,
    avg_talk_ms: a.talked === 0 ? null : a.talk / a.talked,
  }));
  return { rows: result.length, read, result };
}

/**
 * core's analytics (KPIs by account and by day, with callbacks) over the days FROM–TO of every
 * account, from Evo Voice or from the store through preferCopy: what session_stats computes.
 */
async function stats(fromStore: boolean): Promise<Record<string, unknown>> {
  const now = new Date(args.now!);
  const accounts = (await client.authStatus()).accounts;
  const query = SessionQuery.create()
    .localDays(args.from!, args.to!, { timeZone: "UTC" })
    .accounts(...accounts.map((a) => a.id));
  const store = fromStore ? await openStore(args.store!) : undefined;
  const choices: SourceChoice[] = [];
  try {
    const report = await analyzeSessions(client, query, {
      accounts,
      groupBy: ["account", "day"],
      callbacks: true,
      now,
      timeZone: "UTC",
      ...(store === undefined
        ? {}
        : { source: preferCopy(store.copy({ now: () => now }), client, (c) => choices.push(c)) }),
    });
    const answer = { totals: report.totals, groups: report.groups, callbacks: report.callbacks };
    return {
      rows: report.completeness.matched,
      read: report.completeness.read,
      fromStore: choices.filter((c) => c.source === "copy").length,
      result: answer,
    };
  } finally {
    store?.close();
  }
}

const started = performance.now();
const out = await task();
const ms = performance.now() - started;
console.log(JSON.stringify({ ...out, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
