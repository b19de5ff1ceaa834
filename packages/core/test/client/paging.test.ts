import { describe, expect, it } from "vitest";
import type { SessionInfo } from "../../src/model/session.js";
import { QueryValidationError } from "../../src/errors/evo-voice-error.js";
import { PagingStalledError } from "../../src/errors/paging-errors.js";
import { AbortedError } from "../../src/errors/transport-errors.js";
import { SessionQuery } from "../../src/query/session-query.js";
import { clientFor, rejectionOf, requestsTo, useSmallSandbox } from "./sandbox-harness.js";

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
    const { client: parallelClient } = clientFor(sandbox, "admin", {
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
    sandbox.faults.inject({ route: "sessions", fault: { type: "latency", ms: 30 } });
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
    const { client, log } = clientFor(sandbox, "admin");
    await client.signIn();
    sandbox.faults.inject({ route: "sessions", fault: { type: "latency", ms: 20 } });
    const sent = (): number =>
      log.of("onRequest").filter((event) => event.url.includes("/sessions")).length;

    let seen = 0;
    for await (const session of client.iterateSessions({}, { pageSize: 5, concurrency: 3 })) {
      expect(session.id).toBeTruthy();
      if (++seen === 7) break;
    }
    const atBreak = sent();
    await new Promise((resolve) => setTimeout(resolve, 150));

    // Two pages read, at most `concurrency` fetched ahead, and nothing sent after the break.
    expect(atBreak).toBeLessThanOrEqual(2 + 3);
    expect(sent()).toBe(atBreak);
    // The pages fetched ahead were abandoned, not awaited: no answer arrived for them.
    expect(
      log.of("onResponse").filter((event) => event.url.includes("/sessions")).length,
    ).toBeLessThan(atBreak);
  });

  it("stops at once when the caller aborts mid-run", async () => {
    const { client, log } = clientFor(sandbox, "admin");
    await client.signIn();
    sandbox.faults.inject({ route: "sessions", fault: { type: "latency", ms: 20 } });
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
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(error).toBeInstanceOf(AbortedError);
    expect(sent()).toBe(atAbort);
  });

  it("rejects bad paging options naming the option", () => {
    const { client } = clientFor(sandbox, "admin");
    expect(() => client.paginate({}, { concurrency: 0 })).toThrow(QueryValidationError);
    expect(() => client.paginate({}, { pageSize: 5000 })).toThrow(/pageSize/);
    expect(() => client.paginate({}, { maxItems: -1 })).toThrow(/maxItems/);
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
