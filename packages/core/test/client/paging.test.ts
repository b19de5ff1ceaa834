import { describe, expect, it } from "vitest";
import type { SessionInfo } from "../../src/model/session.js";
import { InvalidOptionError } from "../../src/errors/evo-voice-error.js";
import { PagingStalledError } from "../../src/errors/paging-errors.js";
import { AbortedError } from "../../src/errors/transport-errors.js";
import { SessionQuery } from "../../src/query/session-query.js";
import {
  clientFor,
  rejectionOf,
  requestsTo,
  startSmallSandbox,
  useSmallSandbox,
} from "./sandbox-harness.js";

// About 230 live sessions visible to the admin: enough pages to page through in parallel.
const sandbox = await useSmallSandbox({ sessions: 1000 });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

/** Rewrites answers of GET /sessions; the sandbox still serves the real request underneath. */
function rewritingFetch(
  rewrite: (url: URL, body: Record<string, unknown>) => Record<string, unknown>,
  rewriteUrl: (url: URL) => URL = (url) => url,
): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (url.pathname !== "/sessions") return fetch(input, init);
    const response = await fetch(rewriteUrl(url), init);
    const body = (await response.json()) as Record<string, unknown>;
    return new Response(JSON.stringify(rewrite(url, body)), {
      status: response.status,
      headers: { "content-type": "application/json" },
    });
  };
}

describe("paginate", () => {
  it("yields every page in order, the same with parallel fetching as without", async () => {
    const { client } = clientFor(sandbox, "admin");
    await client.signIn();
    const query = SessionQuery.create().newest();

    const sequential = await collect(client.paginate(query, { pageSize: 20 }));
    let inFlight = 0;
    let mostInFlight = 0;
    // Page 1's answer waits until page 2 has been asked for: only fetching in parallel gets past
    // it (an explicit event, where a latency fault would race the machine's speed).
    let askedForPage2 = (): void => {};
    const page2Asked = new Promise<void>((resolve) => (askedForPage2 = resolve));
    const { client: parallelClient } = clientFor(sandbox, "admin", {
      fetch: async (input, init) => {
        const page = new URL(String(input)).searchParams.get("page");
        if (page === "2") askedForPage2();
        const response = await fetch(input, init);
        if (page === "1") await page2Asked;
        return response;
      },
      hooks: {
        onRequest: () => {
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
        },
        onResponse: () => {
          inFlight--;
        },
      },
    });
    const parallel = await collect(
      parallelClient.paginate(query, { pageSize: 20, concurrency: 4 }),
    );

    const total = sequential[0]?.totalCount ?? 0;
    expect(total).toBeGreaterThan(60);
    expect(sequential.map((page) => page.page)).toEqual([...Array(Math.ceil(total / 20)).keys()]);
    const ids = (pages: { items: SessionInfo[] }[]): string[] =>
      pages.flatMap((page) => page.items.map((item) => item.id ?? ""));
    expect(ids(parallel)).toEqual(ids(sequential));
    expect(new Set(ids(sequential)).size).toBe(total);
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(4);
  });

  it("follows hasMorePages one page at a time with simplified paging", async () => {
    const { client } = clientFor(sandbox, "admin");
    const total = (await client.listSessions({ countPerPage: 1 })).totalCount;
    const start = sandbox.requests.length;

    const pages = await collect(
      client.paginate({ simplifiedPaging: true }, { pageSize: 50, concurrency: 4 }),
    );
    const items = pages.flatMap((page) => page.items);

    expect(items).toHaveLength(total ?? -1);
    expect(pages.every((page) => page.totalPages === undefined)).toBe(true);
    expect(pages.slice(0, -1).every((page) => page.hasMorePages === true)).toBe(true);
    // One request per page, plus at most one that finds the end empty.
    const sent = requestsTo(sandbox, "/sessions", start).length;
    expect(sent - pages.length).toBeGreaterThanOrEqual(0);
    expect(sent - pages.length).toBeLessThanOrEqual(1);
  });

  it("stops at maxItems without fetching further pages", async () => {
    const { client } = clientFor(sandbox, "admin");
    await client.signIn();
    const start = sandbox.requests.length;

    const items = await collect(
      client.iterateSessions({}, { pageSize: 10, maxItems: 25, concurrency: 4 }),
    );

    expect(items).toHaveLength(25);
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(3);
  });

  it("starts at the query's page and uses its countPerPage when no pageSize is given", async () => {
    const { client } = clientFor(sandbox, "admin");
    const pages = await collect(client.paginate({ page: 2, countPerPage: 30 }, { maxItems: 45 }));
    expect(pages.map((page) => [page.page, page.items.length])).toEqual([
      [2, 30],
      [3, 15],
    ]);
  });

  it("asks once for an all=true query", async () => {
    const { client } = clientFor(sandbox, "admin");
    await client.signIn();
    const start = sandbox.requests.length;

    const pages = await collect(client.paginate({ all: true }, { pageSize: 10 }));

    expect(pages).toHaveLength(1);
    expect(pages[0]?.items.length).toBeGreaterThan(10);
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(1);
  });

  it("stops all fetching when the loop breaks", async () => {
    const held = holdPagesFrom(2);
    const { client, log } = clientFor(sandbox, "admin", { fetch: held.fetch });
    await client.signIn();
    const sent = (): number =>
      log.of("onRequest").filter((event) => event.url.includes("/sessions")).length;

    let seen = 0;
    for await (const session of client.iterateSessions({}, { pageSize: 5, concurrency: 3 })) {
      expect(session.id).toBeTruthy();
      if (++seen === 7) break;
    }
    const atBreak = sent();
    // The pages fetched ahead are held until their request is aborted: this settles only
    // because breaking the loop aborted them.
    await held.settled();
    await turns();

    // Two pages read, at most `concurrency` fetched ahead, and nothing sent after the break.
    expect(atBreak).toBeLessThanOrEqual(2 + 3);
    expect(held.count()).toBeGreaterThan(0);
    expect(sent()).toBe(atBreak);
    // The pages fetched ahead were abandoned, not awaited: no answer arrived for them.
    expect(
      log.of("onResponse").filter((event) => event.url.includes("/sessions")).length,
    ).toBeLessThan(atBreak);
  });

  it("stops at once when the caller aborts mid-run", async () => {
    const held = holdPagesFrom(2);
    const { client, log } = clientFor(sandbox, "admin", { fetch: held.fetch });
    await client.signIn();
    const controller = new AbortController();
    const sent = (): number =>
      log.of("onRequest").filter((event) => event.url.includes("/sessions")).length;

    const error = await rejectionOf(
      (async () => {
        for await (const page of client.paginate(
          {},
          { pageSize: 5, concurrency: 2, signal: controller.signal },
        )) {
          if (page.page === 1) controller.abort();
        }
      })(),
    );
    const atAbort = sent();
    await held.settled();
    await turns();

    expect(error).toBeInstanceOf(AbortedError);
    expect(sent()).toBe(atAbort);
  });

  it("rejects bad paging options with InvalidOptionError naming the option", () => {
    const { client } = clientFor(sandbox, "admin");
    expect(() => client.paginate({}, { concurrency: 0 })).toThrow(InvalidOptionError);
    expect(() => client.paginate({}, { concurrency: 0 })).toThrow(
      expect.objectContaining({ code: "invalid_option", field: "concurrency" }),
    );
    expect(() => client.paginate({}, { pageSize: 5000 })).toThrow(/pageSize/);
    expect(() => client.paginate({}, { maxItems: -1 })).toThrow(/maxItems/);
    // The same where the stream filters by a relative range, at the call rather than later.
    const today = SessionQuery.create().range("today", { timeZone: "UTC" });
    expect(() => client.iterateSessions(today, { maxItems: 1.5 })).toThrow(InvalidOptionError);
  });
});

describe("paging guard", () => {
  it("stops with PagingStalledError when a page repeats the one before", async () => {
    // A server that ignores `page`: every request is answered with page 0.
    const { client } = clientFor(sandbox, "admin", {
      fetch: rewritingFetch(
        (_url, body) => ({ ...body, hasMorePages: true }),
        (url) => {
          const copy = new URL(url);
          copy.searchParams.set("page", "0");
          return copy;
        },
      ),
    });

    const error = await rejectionOf(
      collect(client.paginate({ simplifiedPaging: true }, { pageSize: 10 })),
    );

    expect(error).toBeInstanceOf(PagingStalledError);
    expect(error).toMatchObject({ code: "paging_stalled", page: 1 });
    expect((error as PagingStalledError).message).toMatch(
      /exactly the sessions of the page before/,
    );
  });

  it("stops with PagingStalledError when a server announces more pages forever", async () => {
    // Pages cycle 0,1,2,0,1,2… and always claim there are more.
    const { client } = clientFor(sandbox, "admin", {
      fetch: rewritingFetch(
        (_url, body) => ({ ...body, hasMorePages: true }),
        (url) => {
          const copy = new URL(url);
          copy.searchParams.set("page", String(Number(copy.searchParams.get("page") ?? 0) % 3));
          return copy;
        },
      ),
    });

    const error = await rejectionOf(
      collect(client.paginate({ simplifiedPaging: true }, { pageSize: 10, maxPages: 8 })),
    );

    expect(error).toBeInstanceOf(PagingStalledError);
    expect(error).toMatchObject({ page: 8 });
    expect((error as PagingStalledError).message).toMatch(/maxPages/);
  });

  it("stops with PagingStalledError when hasMorePages outlives the server's own total", async () => {
    const { client } = clientFor(sandbox, "admin", {
      // The first page has no totals (simplified paging); later ones claim 2 pages yet more to come.
      fetch: rewritingFetch((url, body) =>
        url.searchParams.get("page") === "0"
          ? { ...body, hasMorePages: true }
          : { ...body, hasMorePages: true, totalPages: 2 },
      ),
    });

    const pages: number[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const page of client.paginate({ simplifiedPaging: true }, { pageSize: 10 }))
          pages.push(page.page);
      })(),
    );

    expect(pages).toEqual([0, 1]);
    expect(error).toBeInstanceOf(PagingStalledError);
  });
});

/** Every session the admin sees, in the server's order, in one request. */
async function everything(query: Record<string, unknown> = {}): Promise<SessionInfo[]> {
  const { client } = clientFor(sandbox, "admin");
  return (await client.listSessions({ ...query, all: true })).items;
}

const idsOf = (items: SessionInfo[]): string[] => items.map((item) => item.id ?? "");

/**
 * A fetch that answers GET /sessions pages below `page` and holds later ones unanswered until
 * their request is aborted, so that tests see what fetching ahead does without racing a timer.
 */
function holdPagesFrom(page: number): {
  fetch: typeof fetch;
  /** How many requests were held. */
  count(): number;
  /** Resolves once every held request was aborted (never, if one is not). */
  settled(): Promise<unknown>;
} {
  const held: Promise<unknown>[] = [];
  return {
    fetch: (input, init) => {
      const url = new URL(String(input));
      if (url.pathname !== "/sessions" || Number(url.searchParams.get("page") ?? 0) < page)
        return fetch(input, init);
      const signal = init?.signal;
      const hold = new Promise<Response>((_resolve, reject) => {
        signal?.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
      });
      held.push(hold.catch(() => undefined));
      return hold;
    },
    count: () => held.length,
    settled: () => Promise.all(held),
  };
}

/** Lets every callback already queued run (I/O and timers of 0 ms included). */
async function turns(count = 5): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe("paging while sessions are added or removed", () => {
  it("skips the repeats that new sessions cause and reaches the last page that moved", async () => {
    // A server where 3 sessions arrive before each page after the first (newest first): every
    // page starts with the last 3 of the page before, and the list grows past the first
    // page's count. The wrapper serves the sandbox's real sessions at those shifted positions.
    const real = await everything();
    const inserted = (page: number): number => 3 * page;
    const { client, log } = clientFor(sandbox, "admin", {
      fetch: async (input, init) => {
        const url = new URL(String(input));
        if (url.pathname !== "/sessions") return fetch(input, init);
        const size = Number(url.searchParams.get("countPerPage"));
        const page = Number(url.searchParams.get("page") ?? 0);
        const shift = inserted(page);
        // The listing is now `shift` new sessions followed by the real ones; this page's real
        // sessions start at its first position minus the shift (never negative after page 0).
        const start = page * size - shift;
        const totalCount = real.length + shift;
        const items = real.slice(start, start + size);
        await (await fetch(input, init)).arrayBuffer(); // the real request, for sign-in and faults
        return Response.json({ items, totalCount, totalPages: Math.ceil(totalCount / size) });
      },
    });

    const items = await collect(client.iterateSessions({}, { pageSize: 20 }));

    expect(real.length).toBeGreaterThan(100);
    // Every session exactly once, in order: the repeats were skipped, the moved tail was fetched.
    expect(idsOf(items)).toEqual(idsOf(real));
    const drift = log.of("onPagingDrift");
    expect(drift.length).toBeGreaterThan(0);
    expect(drift.every((event) => event.duplicatesSkipped === 3)).toBe(true);
    expect(drift[0]).toMatchObject({
      page: 1,
      previousTotalCount: real.length,
      totalCount: real.length + 3,
    });
    expect(drift[0]?.message).toMatch(/added during paging.*3 sessions on page 1 had already come/);
  });

  it("reports sessions removed mid-run, as they may have been missed", async () => {
    const { client, log } = clientFor(sandbox, "admin", {
      fetch: rewritingFetch((url, body) =>
        url.searchParams.get("page") === "2"
          ? { ...body, totalCount: (body.totalCount as number) - 4 }
          : body,
      ),
    });

    await collect(client.paginate({}, { pageSize: 20, maxItems: 80 }));

    const [event, after] = log.of("onPagingDrift");
    expect(event).toMatchObject({ page: 2, duplicatesSkipped: 0 });
    expect(event?.message).toMatch(/removed \(archived or deleted\).*may have been missed/);
    // Page 3 is back at the old count: that is a change too.
    expect(after).toMatchObject({ page: 3 });
  });

  it("loses and repeats nothing present at the start while the live sandbox adds calls", async () => {
    // Live mode on a manual clock: before each page is read, every live call moves on 5 steps
    // (ringing, connected, hold, resumed, ended), so each of the 3 ends and a new call lands at
    // the top of the newest-first listing. Exactly 3 sessions arrive between any two pages.
    const live = await startSmallSandbox({
      sessions: 1000,
      live: true,
      liveCalls: 3,
      liveClock: "manual",
    });
    try {
      let stepping = false;
      const { client, log } = clientFor(live, "admin", {
        fetch: (input, init) => {
          if (stepping && new URL(String(input)).pathname === "/sessions") live.live?.step(5);
          return fetch(input, init);
        },
      });
      await client.signIn();
      const before = idsOf((await client.listSessions({ all: true })).items);
      stepping = true;

      const seen = idsOf(await collect(client.iterateSessions({}, { pageSize: 21 })));

      expect(before.length).toBeGreaterThan(150);
      expect(seen.length - new Set(seen).size).toBe(0);
      const got = new Set(seen);
      expect(before.filter((id) => !got.has(id))).toEqual([]);
      // Calls did arrive meanwhile, and paging noticed.
      expect(seen.length).toBeGreaterThan(before.length);
      expect(log.of("onPagingDrift").length).toBeGreaterThan(0);
    } finally {
      await live.close();
    }
  });
});

describe("paging without totals or hasMorePages", () => {
  it("goes on past short pages (a server capping the page size) until an empty page", async () => {
    const real = await everything();
    const { client } = clientFor(sandbox, "admin", {
      // The server caps pages at 10 and says nothing about what is left.
      fetch: rewritingFetch(
        (_url, body) => ({ items: body.items }),
        (url) => {
          const copy = new URL(url);
          copy.searchParams.set("countPerPage", "10");
          return copy;
        },
      ),
    });

    const pages = await collect(client.paginate({}, { pageSize: 25 }));

    expect(idsOf(pages.flatMap((page) => page.items))).toEqual(idsOf(real));
    expect(pages.every((page) => page.items.length === 10 || page === pages.at(-1))).toBe(true);
  });

  it("still stops at maxPages when the pages never run out", async () => {
    const { client } = clientFor(sandbox, "admin", {
      fetch: rewritingFetch(
        (_url, body) => ({ items: body.items }),
        (url) => {
          const copy = new URL(url);
          copy.searchParams.set("page", String(Number(copy.searchParams.get("page")) % 2));
          return copy;
        },
      ),
    });

    const error = await rejectionOf(collect(client.paginate({}, { pageSize: 10, maxPages: 5 })));

    expect(error).toBeInstanceOf(PagingStalledError);
    expect(error).toMatchObject({ page: 5 });
  });
});

describe("a relative range", () => {
  // The sandbox's clock is 20 Nov 2026, 12:00 UTC. "yesterday" in Tokyo is 19 Nov there, i.e.
  // 18 Nov 15:00 UTC to 19 Nov 15:00 UTC, so the UTC days sent (18–19 Nov) hold more.
  const query = SessionQuery.create().range("yesterday", {
    now: new Date("2026-11-20T12:00:00Z"),
    timeZone: "Asia/Tokyo",
  });

  it("streams only the sessions of the local days from iterateSessions", async () => {
    const { client } = clientFor(sandbox, "admin");
    const pages = await collect(client.paginate(query, { pageSize: 50 }));
    const served = pages.flatMap((page) => page.items);
    const inside = served.filter((session) => query.matchesRange(session));

    const streamed = await collect(client.iterateSessions(query, { pageSize: 50 }));

    // listSessions/paginate return the server's UTC days; the item stream keeps the local day.
    expect(inside.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThan(inside.length);
    expect(idsOf(streamed)).toEqual(idsOf(inside));
    const { from, to } = query.resolvedRange ?? { from: new Date(0), to: new Date(0) };
    for (const session of streamed) {
      const at = Date.parse(session.dateCreated ?? "");
      expect(at >= from.getTime() && at < to.getTime()).toBe(true);
    }
  });

  it("counts maxItems in sessions kept, not sessions served", async () => {
    const { client } = clientFor(sandbox, "admin");
    const all = await collect(client.iterateSessions(query, { pageSize: 50 }));

    const first = await collect(client.iterateSessions(query, { pageSize: 7, maxItems: 3 }));

    expect(idsOf(first)).toEqual(idsOf(all.slice(0, 3)));
  });
});
