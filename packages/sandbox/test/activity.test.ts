import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_IDS, type Sandbox, type SandboxData } from "../src/index.js";
import { basic, getJson, startTestSandbox } from "./helpers.js";

// Live calls on the manual clock: what is "active" changes only when the test steps it.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ live: true, liveClock: "manual", liveCalls: 30 });
  sandbox.live!.step(1);
});
afterAll(() => sandbox.close());

type Session = SandboxData["sessions"][number];

/** The oracle: sessions in progress that the user's own endpoint takes part in, newest first. */
function mine(data: SandboxData, userName: string): Session[] {
  const user = data.users!.find((u) => u.userName === userName)!;
  if (user.endpointId === undefined) return [];
  const id = user.endpointId;
  return data.sessions.filter(
    (s) =>
      s.ended === false &&
      user.accountIds.includes(s.accountId!) &&
      (s.endpointId === id ||
        s.answeredById === id ||
        (s.members ?? []).some((m) => m.endpointId === id)),
  );
}

describe("GET /sessions/my and /sessions/active", () => {
  it("are routes of their own, not session ids", async () => {
    for (const path of ["/sessions/my", "/sessions/active", "/sessions/MY.json"]) {
      const { status, body } = await getJson(sandbox, path, basic("demo"));
      expect(status, path).toBe(200);
      expect(body).toHaveProperty("sessions");
    }
  });

  it("answer the sessions in progress of the user's endpoint, with log: []", async () => {
    let answered = 0;
    for (let step = 0; step < 4; step++) {
      for (const user of ["demo", "agent"]) {
        const expected = mine(sandbox.data, user);
        answered += expected.length;
        for (const path of ["/sessions/my", "/sessions/active"]) {
          const { body } = await getJson(sandbox, path, basic(user));
          const sessions = body.sessions as Record<string, unknown>[];
          expect(sessions.map((s) => s.id)).toEqual(expected.map((s) => s.id));
          for (const s of sessions) expect(s.log).toEqual([]);
        }
      }
      sandbox.live!.step(1);
    }
    expect(sandbox.data.users!.find((u) => u.userName === "agent")?.endpointId).toBeDefined();
    // Thirty live calls in three accounts: this seed puts the demo users' agents on some.
    expect(answered).toBeGreaterThan(0);
  });

  it("need the User role", async () => {
    for (const user of ["msp", "customer", "wallboard"]) {
      const { status, body } = await getJson(sandbox, "/sessions/my", basic(user));
      expect(status).toBe(403);
      expect(body).toMatchObject({ responseStatus: { errorCode: "Forbidden" } });
    }
    expect((await getJson(sandbox, "/sessions/active", basic("admin"))).body).toEqual({
      sessions: [],
    });
  });
});

describe("GET /calls/active", () => {
  /** The oracle: each leg with a call in progress, of the sessions in progress. */
  function legs(data: SandboxData, accounts: string[]): string[] {
    return data.sessions
      .filter((s) => s.ended === false && s.channel === "Voice" && accounts.includes(s.accountId!))
      .flatMap((s) => (s.members ?? []).filter((m) => m.callSid && m.callState !== "None"))
      .map((m) => m.callSid!);
  }

  it("lists the call legs in progress account-wide, as CallInfo", async () => {
    const brightside = SANDBOX_ACCOUNT_IDS.brightsideRealty;
    const { status, body } = await getJson(
      sandbox,
      `/calls/active?accountId=${brightside}`,
      basic("wallboard"),
    );
    expect(status).toBe(200);
    const calls = body.calls as Record<string, unknown>[];
    expect(calls.map((c) => c.sid)).toEqual(legs(sandbox.data, [brightside]));
    expect(calls.length).toBeGreaterThan(0);
    const account = sandbox.data.accounts.find((a) => a.id === brightside)!;
    for (const call of calls) {
      expect(call.accountSid).toBe(account.twilioAccountSid);
      expect(call.status).toMatch(/^(ringing|in-progress)$/);
      expect(call.uri).toBe(
        `/2010-04-01/Accounts/${account.twilioAccountSid}/Calls/${call.sid as string}.json`,
      );
    }
    const all = await getJson(sandbox, "/calls/active", basic("msp"));
    const mspAccounts = sandbox.users.find((u) => u.userName === "msp")!.accountIds;
    expect((all.body.calls as { sid: string }[]).map((c) => c.sid)).toEqual(
      legs(sandbox.data, mspAccounts),
    );
  });

  it("needs SystemAdministrator, Manager or CallCenterDashboard (the older copies: the first two)", async () => {
    for (const user of ["agent", "customer"])
      expect((await getJson(sandbox, "/calls/active", basic(user))).status).toBe(403);
    const other = `/calls/active?accountId=${SANDBOX_ACCOUNT_IDS.summitPlumbing}`;
    expect((await getJson(sandbox, other, basic("wallboard"))).status).toBe(403);
    const older = await startTestSandbox({
      sessions: 20,
      behaviour: { activeCallsRoles: "older" },
    });
    try {
      expect((await getJson(older, "/calls/active", basic("wallboard"))).status).toBe(403);
      expect((await getJson(older, "/calls/active", basic("demo"))).status).toBe(200);
    } finally {
      await older.close();
    }
  });
});

describe("GET /sessions/{id}/transcript", () => {
  /** The oracle: the chat's log lines that carry a message, in order. */
  function messages(session: Session): string[] {
    return (session.log ?? []).flatMap((entry) => {
      const match = /^(?:Message from .+?|Auto-reply sent): "(.*)"$/.exec(entry.message ?? "");
      return match === null ? [] : [match[1]!];
    });
  }
  const acmeChats = () =>
    sandbox.data.sessions.filter(
      (s) => s.channel === "Chat" && s.accountId === SANDBOX_ACCOUNT_IDS.acmeDental,
    );

  it("answers a chat's messages as its log has them, with dates and senders", async () => {
    const chats = acmeChats();
    expect(chats.length).toBeGreaterThan(5);
    for (const chat of chats.slice(0, 10)) {
      const { status, body } = await getJson(
        sandbox,
        `/sessions/${chat.id}/transcript`,
        basic("demo"),
      );
      expect(status).toBe(200);
      const got = body.messages as { date: string; from: string; body: string }[];
      expect(got.map((m) => m.body)).toEqual(messages(chat));
      expect(got.length).toBeGreaterThan(0);
      const dates = new Set((chat.log ?? []).map((e) => e.date));
      for (const m of got) expect(dates.has(m.date)).toBe(true);
      // An incoming chat opens with the contact's message; an outgoing one with the agent's.
      const opener = chat.direction === "Incoming" ? chat.fromAddress : chat.answeredByName;
      if (chat.direction === "Incoming") expect(got[0]?.from).toBe(opener);
      else expect(typeof got[0]?.from).toBe("string");
    }
  });

  it("with includeHistorical, earlier chats with the same contact come first", async () => {
    const chats = acmeChats();
    const repeat = chats.find((c) =>
      chats.some((o) => o.fromPhoneNumber === c.fromPhoneNumber && o.dateCreated! < c.dateCreated!),
    );
    expect(repeat).toBeDefined();
    const earlier = chats
      .filter(
        (o) =>
          o.fromPhoneNumber === repeat!.fromPhoneNumber && o.dateCreated! < repeat!.dateCreated!,
      )
      .reverse();
    const { body } = await getJson(
      sandbox,
      `/sessions/${repeat!.id}/transcript?includeHistorical=true`,
      basic("demo"),
    );
    expect((body.messages as { body: string }[]).map((m) => m.body)).toEqual(
      [...earlier, repeat!].flatMap(messages),
    );
  });

  it("404 for an unknown or invisible session, 400 for a call, 403 without the User role", async () => {
    const voice = sandbox.data.sessions.find(
      (s) => s.channel === "Voice" && s.accountId === SANDBOX_ACCOUNT_IDS.acmeDental,
    )!;
    const notChat = await getJson(sandbox, `/sessions/${voice.id}/transcript`, basic("demo"));
    expect(notChat.status).toBe(400);
    expect(notChat.body).toMatchObject({
      responseStatus: { errors: [{ fieldName: "SessionId" }] },
    });
    expect((await getJson(sandbox, "/sessions/nope/transcript", basic("demo"))).status).toBe(404);
    const foreign = sandbox.data.sessions.find(
      (s) => s.channel === "Chat" && s.accountId === SANDBOX_ACCOUNT_IDS.summitPlumbing,
    )!;
    expect(
      (await getJson(sandbox, `/sessions/${foreign.id}/transcript`, basic("demo"))).status,
    ).toBe(404);
    expect(
      (await getJson(sandbox, `/sessions/${acmeChats()[0]!.id}/transcript`, basic("customer")))
        .status,
    ).toBe(403);
  });
});
