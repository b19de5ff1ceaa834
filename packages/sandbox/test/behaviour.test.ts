import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/index.js";
import { basic, getJson, startTestSandbox } from "./helpers.js";

// The defaults are covered by the oracle tests; these check the switchable alternatives.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({
    sessions: 800,
    behaviour: {
      customerMatch: "descendants",
      endpointMatch: "any",
      unknownSortField: "ignore",
      archiveAfterDays: 30,
      specificIdsSearch: "everywhere",
      forbiddenBody: "empty",
    },
  });
});
afterAll(() => sandbox.close());

const allIds = async (path: string): Promise<string[]> => {
  const { status, body } = await getJson(sandbox, path);
  expect(status).toBe(200);
  return (body.items as { id: string }[]).map((i) => i.id);
};

describe("switchable behaviours", () => {
  it("customerMatch=descendants also finds sessions of sub-customers", async () => {
    const root = sandbox.data.customers.find(
      (c) => c.parentId === undefined && sandbox.data.customers.some((d) => d.parentId === c.id),
    );
    const below = new Set([root?.id]);
    for (let grew = true; grew;) {
      grew = false;
      for (const c of sandbox.data.customers)
        if (c.parentId !== undefined && below.has(c.parentId) && !below.has(c.id))
          grew = below.add(c.id) !== undefined;
    }
    const expected = sandbox.data.sessions
      .filter(
        (s) =>
          Date.parse(s.dateCreated as string) >= Date.parse(sandbox.data.archiveCutoff as string) &&
          below.has(s.customerId ?? undefined),
      )
      .map((s) => s.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await allIds(`/sessions?all=true&customerIds=${root?.id as string}`)).toEqual(expected);
  });

  it("endpointMatch=any also matches the agent who answered", async () => {
    const cutoff = Date.parse(sandbox.data.archiveCutoff as string);
    const archived = sandbox.data.sessions.filter(
      (s) => Date.parse(s.dateCreated as string) < cutoff,
    );
    // An agent who answered archived calls that some other endpoint (a number) received.
    const agentId = archived.find(
      (s) => s.answeredById !== undefined && s.answeredById !== s.endpointId,
    )?.answeredById as string;
    const ids = await allIds(`/sessions?all=true&searchArchive=true&endpointIds=${agentId}`);
    const answered = archived.filter((s) => s.answeredById === agentId && s.endpointId !== agentId);
    expect(answered.length).toBeGreaterThan(0);
    for (const s of answered) expect(ids).toContain(s.id);
  });

  it("unknownSortField=ignore answers in the default order", async () => {
    expect(await allIds("/sessions?sortField=loudness&countPerPage=10")).toEqual(
      await allIds("/sessions?countPerPage=10"),
    );
  });

  it("specificIdsSearch=everywhere finds archived sessions without searchArchive", async () => {
    const cutoff = Date.parse(sandbox.data.archiveCutoff as string);
    const old = sandbox.data.sessions.find((s) => Date.parse(s.dateCreated as string) < cutoff);
    const recent = sandbox.data.sessions[0];
    const wanted = [recent?.id as string, old?.id as string];
    expect(await allIds(`/sessions?specificIds=${wanted.join(",")}`)).toEqual(wanted);
    expect(await allIds(`/sessions?specificIds=${wanted.join(",")}&searchArchive=true`)).toEqual(
      wanted,
    );
  });

  it("forbiddenBody=empty answers 403 without a body", async () => {
    const response = await fetch(
      `${sandbox.url}/sessions?accountIds=${sandbox.data.accounts[5]?.id as string}`,
      { headers: basic("demo") },
    );
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("");
  });

  it("archiveAfterDays moves the live/archive boundary", () => {
    expect(Date.parse(sandbox.data.archiveCutoff as string)).toBe(
      Date.parse(sandbox.data.now as string) - 30 * 86_400_000,
    );
  });

  it("rejects bad options with an error naming the option", async () => {
    const { startSandbox } = await import("../src/index.js");
    await expect(startSandbox({ port: -1 })).rejects.toThrow(/port/);
    await expect(startSandbox({ sessions: 1.5 })).rejects.toThrow(/sessions/);
    await expect(startSandbox({ dateFormat: "rfc" as "iso" })).rejects.toThrow(/dateFormat/);
  });
});
