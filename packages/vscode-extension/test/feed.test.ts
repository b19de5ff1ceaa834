// How the list is read as it grows: refresh never cancels "Load more…", auto-refresh reads one
// page whatever is loaded, manual refresh reads page by page, and a filter change wins over
// whatever was on its way.
import { describe, expect, it } from "vitest";
import * as vscode from "vscode";
import {
  recentSessions,
  sessionRows,
  settled,
  signInToSandbox,
  useSandboxSuite,
} from "./support/harness.js";

describe("Session feed", () => {
  const suite = useSandboxSuite({ sandbox: { sessions: 400 } });

  /** The `GET /sessions` queries answered since `from` (an index into the request log). */
  function listReads(from: number): URLSearchParams[] {
    return suite.sandbox.requests
      .slice(from)
      .filter((request) => request.path === "/sessions")
      .map((request) => new URLSearchParams(request.query.replace(/^\?/, "")));
  }

  async function signedIn(pageSize: number) {
    const ext = await suite.activate({ settings: { "evoSessions.pageSize": pageSize } });
    await signInToSandbox(ext.api, suite.sandbox);
    return ext;
  }

  it("a refresh while Load more… runs waits for it instead of cancelling it", async () => {
    const { api } = await signedIn(10);
    const before = suite.sandbox.requests.length;
    const more = vscode.commands.executeCommand("evoSessions.loadMore");
    const refresh = vscode.commands.executeCommand("evoSessions.refresh");
    // Auto-refresh skips a tick while the feed is busy.
    await api.feed.refreshTop();
    await Promise.all([more, refresh]);
    await settled(api);
    expect(api.feed.loadMoreError).toBeUndefined();
    expect(api.feed.pagesLoaded).toBe(2);
    expect(listReads(before).map((query) => query.get("page"))).toEqual(["1", "0", "1"]);
    const expected = recentSessions(suite.sandbox).slice(0, 20);
    expect((await sessionRows(api)).map((row) => row.item.id)).toEqual(
      expected.map((session) => `session:${session.id}`),
    );
  });

  it("auto-refresh reads only the first page and merges it into what is loaded", async () => {
    const { api, view } = await signedIn(10);
    for (let page = 1; page < 4; page++) {
      await vscode.commands.executeCommand("evoSessions.loadMore");
      await settled(api);
    }
    const loaded = api.feed.sessions.map((session) => session.id);
    expect(loaded).toHaveLength(40);
    let changes = 0;
    const subscription = api.feed.onDidChange(() => (changes += 1));
    const before = suite.sandbox.requests.length;
    await api.feed.refreshTop();
    subscription.dispose();
    expect(
      listReads(before).map((query) => [query.get("page"), query.get("countPerPage")]),
    ).toEqual([["0", "10"]]);
    expect(api.feed.sessions.map((session) => session.id)).toEqual(loaded);
    expect(api.feed.pagesLoaded).toBe(4);
    // One change event, and the rows never went away for a "loading" state.
    expect(changes).toBe(1);
    expect(api.feed.status).toBe("ready");
    expect(view.message).not.toMatch(/Loading/);
  });

  it("a filter change while a page is on its way shows only the new filter's sessions", async () => {
    const { api } = await signedIn(10);
    const account = recentSessions(suite.sandbox)[0]!.accountId as string;
    const more = api.feed.loadMore();
    const filtering = api.filters.update({ accountIds: [account] });
    await Promise.all([more, filtering]);
    await settled(api);
    const expected = recentSessions(suite.sandbox)
      .filter((session) => session.accountId === account)
      .slice(0, 10);
    expect(api.feed.sessions.map((session) => session.id)).toEqual(
      expected.map((session) => session.id),
    );
    expect(api.feed.pagesLoaded).toBe(1);
    expect(api.feed.loadMoreError).toBeUndefined();
  });

  it("the status bar stays hidden while no call is live", async () => {
    const { api } = await signedIn(10);
    expect(api.live.count).toBe(0);
    expect(api.statusBar.item.show).not.toHaveBeenCalled();
    expect(api.statusBar.item.hide).toHaveBeenCalled();
  });

  it("a time-zone change without a date filter keeps what is loaded", async () => {
    const { api } = await signedIn(10);
    await vscode.commands.executeCommand("evoSessions.loadMore");
    await settled(api);
    const before = suite.sandbox.requests.length;
    const { changeSetting } = await import("./support/vscode.js");
    await changeSetting("evoSessions.timeZone", "Asia/Tokyo");
    await settled(api);
    expect(listReads(before)).toEqual([]);
    expect(api.feed.pagesLoaded).toBe(2);
    expect(api.tree.todayKey).toBe("2025-11-16");

    // With a date filter the days themselves moved: the list is read again.
    await api.filters.update({ dateRange: { kind: "preset", preset: "last-7-days" } });
    await settled(api);
    const reads = suite.sandbox.requests.length;
    await changeSetting("evoSessions.timeZone", "America/New_York");
    await settled(api);
    expect(listReads(reads).length).toBeGreaterThan(0);
  });
});
