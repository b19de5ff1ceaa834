import { describe, expect, it } from "vitest";
import * as vscode from "vscode";
import {
  children,
  labelOf,
  lastListQuery,
  recentSessions,
  sessionRows,
  settled,
  signInToSandbox,
  useSandboxSuite,
} from "./support/harness.js";

describe("Paging", () => {
  const suite = useSandboxSuite();

  it("loads a page of the configured size, then the next one from Load more…", async () => {
    const ext = await suite.activate({ settings: { "evoSessions.pageSize": 25 } });
    await signInToSandbox(ext.api, suite.sandbox);
    const all = recentSessions(suite.sandbox);

    let roots = await children(ext.api);
    const more = roots.at(-1)!;
    expect(more.node.kind).toBe("loadMore");
    expect(labelOf(more.item)).toBe("Load more…");
    expect(more.item.description).toBe(`25 of ${all.length}`);
    expect(more.item.command?.command).toBe("evoSessions.loadMore");
    expect(lastListQuery(suite.sandbox).get("countPerPage")).toBe("25");
    expect(lastListQuery(suite.sandbox).get("page")).toBe("0");

    await vscode.commands.executeCommand("evoSessions.loadMore");
    await settled(ext.api);
    expect(lastListQuery(suite.sandbox).get("page")).toBe("1");
    const rows = await sessionRows(ext.api);
    expect(rows.map((row) => row.item.id)).toEqual(all.slice(0, 50).map((s) => `session:${s.id}`));
    roots = await children(ext.api);
    expect(roots.at(-1)!.item.description).toBe(`50 of ${all.length}`);

    // A refresh re-reads everything loaded, page by page, so nothing below page one goes stale.
    const before = suite.sandbox.requests.length;
    await vscode.commands.executeCommand("evoSessions.refresh");
    await settled(ext.api);
    const reads = suite.sandbox.requests
      .slice(before)
      .filter((request) => request.path === "/sessions")
      .map((request) => new URLSearchParams(request.query.replace(/^\?/, "")));
    expect(reads.map((query) => [query.get("page"), query.get("countPerPage")])).toEqual([
      ["0", "25"],
      ["1", "25"],
    ]);
    expect((await sessionRows(ext.api)).length).toBe(50);
  });

  it("drops Load more… on the last page", async () => {
    const ext = await suite.activate({ settings: { "evoSessions.pageSize": 20 } });
    await signInToSandbox(ext.api, suite.sandbox);
    // Narrow the list to a few pages with a filter the oracle can apply too.
    const account = recentSessions(suite.sandbox)[0]!.accountId as string;
    const expected = recentSessions(suite.sandbox).filter((s) => s.accountId === account);
    await ext.api.filters.update({ accountIds: [account] });
    await settled(ext.api);
    const pages = Math.ceil(expected.length / 20);
    for (let page = 1; page < pages; page++) {
      expect((await children(ext.api)).at(-1)!.node.kind).toBe("loadMore");
      await vscode.commands.executeCommand("evoSessions.loadMore");
      await settled(ext.api);
    }
    expect((await children(ext.api)).at(-1)!.node.kind).toBe("day");
    const ids = (await sessionRows(ext.api)).map((row) => row.item.id);
    expect(ids).toEqual(expected.map((s) => `session:${s.id}`));
  });
});
