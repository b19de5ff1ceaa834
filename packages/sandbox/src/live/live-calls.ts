import { ACCOUNT_SEEDS, FIRST_NAMES, LAST_NAMES, SANDBOX_ACCOUNT_IDS } from "../data/catalog.js";
import {
  storeSession,
  type EndpointRecord,
  type MemberFields,
  type StoredSession,
} from "../data/model.js";
import { Random } from "../data/random.js";
import type { SessionStore } from "../sessions/session-store.js";
import { ManualClock, realClock, type LiveClock } from "./live-clock.js";

// Live calls land in accounts each demo user can see: demo (Acme), msp (Brightside), admin (Summit).
const LIVE_ACCOUNTS = [
  SANDBOX_ACCOUNT_IDS.acmeDental,
  SANDBOX_ACCOUNT_IDS.brightsideRealty,
  SANDBOX_ACCOUNT_IDS.summitPlumbing,
];

type Stage = "ringing" | "connected" | "hold" | "resumed" | "disconnected";
const NEXT: Record<Stage, Stage | undefined> = {
  ringing: "connected",
  connected: "hold",
  hold: "resumed",
  resumed: "disconnected",
  disconnected: undefined,
};

interface LiveCall {
  session: StoredSession;
  stage: Stage;
  agent: EndpointRecord;
  callerMember: MemberFields;
}

/**
 * Calls that progress ringing → connected → hold → connected → disconnected, one step every
 * `stepMs` of the clock, one call per slot; a finished call is followed by a new one. On the real
 * clock (the default) that is real time; on a {@link ManualClock} only {@link LiveCalls.step}
 * moves them. stop() ends them either way.
 */
export class LiveCalls {
  private readonly random: Random;

  constructor(
    private readonly store: SessionStore,
    private readonly slots: number,
    private readonly stepMs: number,
    seed: number,
    /** The sandbox's clock: on the `now` the data was generated around. */
    private readonly clock: LiveClock = realClock(0),
  ) {
    this.random = new Random(seed ^ 0x11fe);
  }

  start(): void {
    for (let slot = 0; slot < this.slots; slot++)
      this.begin(LIVE_ACCOUNTS[slot % LIVE_ACCOUNTS.length] as string);
  }

  stop(): void {
    this.clock.stop();
  }

  /** Moves every call on by `steps` steps at once; only on a manual clock. */
  step(steps: number): void {
    if (!(this.clock instanceof ManualClock))
      throw new Error(
        'live.step() moves a manual live clock: start the sandbox with liveClock: "manual"',
      );
    if (!Number.isInteger(steps) || steps < 0)
      throw new RangeError(`Invalid steps ${String(steps)}: use a whole number >= 0`);
    this.clock.advance(steps * this.stepMs);
  }

  /** The clock's instant, on the data's time line. */
  now(): number {
    return this.clock.now();
  }

  private schedule(action: () => void): void {
    this.clock.after(this.stepMs, action);
  }

  private begin(accountId: string): void {
    const rng = this.random;
    const endpoints = this.store.dataset.endpoints.filter((e) => e.accountId === accountId);
    const users = endpoints.filter((e) => e.kind === "user");
    const numbers = endpoints.filter((e) => e.kind === "phoneNumber");
    const queues = endpoints.filter((e) => e.kind === "queue");
    const customers = this.store.dataset.customers.filter((c) => c.accountId === accountId);
    const accountName = ACCOUNT_SEEDS.find((a) => a.id === accountId)?.name ?? accountId;
    const caller = `+1555${rng.int(2, 9)}${rng.digits(6)}`;
    const callerName = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    const number = rng.pick(numbers);
    const queue = rng.pick(queues);
    const customer = customers.length > 0 ? rng.pick(customers) : undefined;
    // Strictly after the newest session: storage order (newest first, ties by id) stays intact
    // even when several calls start within one millisecond.
    const nowMs = Math.max(this.clock.now(), (this.store.sessions[0]?.createdMs ?? 0) + 1);
    const callSid = `CA${rng.hex(32)}`;
    const callerMember: MemberFields = {
      identity: caller,
      displayName: callerName,
      isOriginalMember: true,
      callState: "Ringing",
      role: "Caller",
      callSid,
      muted: false,
    };
    const info: StoredSession["info"] = {
      dialState: "Active",
      callState: "Ringing",
      queueState: "Ringing",
      accountId,
      accountName,
      endpointId: number.id,
      endpointName: number.name,
      destination: number.name,
      toAddress: number.name,
      fromAddress: caller,
      fromName: callerName,
      channel: "Voice",
      ended: false,
      callSid,
      holdReason: "None",
      displayName: callerName,
      members: [callerMember],
      direction: "Incoming",
      wasMissed: false,
      ringQueueId: queue.id,
      id: rng.hex(32),
      dateCreated: new Date(nowMs).toISOString(),
      dateLastModified: new Date(nowMs).toISOString(),
    };
    if (customer !== undefined) {
      info.customerId = customer.id;
      info.customerName = customer.name;
      const breadcrumb: { id: string; name: string }[] = [];
      for (
        let c: typeof customer | undefined = customer;
        c !== undefined;
        c = customers.find((x) => x.id === c?.parentId)
      ) {
        breadcrumb.unshift({ id: c.id, name: c.name });
      }
      info.customerBreadcrumb = breadcrumb;
    }
    const messages = [
      `Call received from ${caller} to ${number.name}`,
      `Caller ID name: ${callerName}`,
      `Dialing queue '${queue.name}'`,
    ];
    const session = storeSession(info, nowMs, undefined, messages, [0, 1, 2]);
    this.store.addNewest(session);
    const call: LiveCall = { session, stage: "ringing", agent: rng.pick(users), callerMember };
    this.schedule(() => this.advance(call));
  }

  private advance(call: LiveCall): void {
    const next = NEXT[call.stage];
    if (next === undefined) {
      this.begin(call.session.info.accountId as string);
      return;
    }
    call.stage = next;
    const { info } = call.session;
    const agent = call.agent;
    const nowMs = this.clock.now();
    const members = info.members ?? [];
    const agentMember = members.find((m) => m.role === "Agent");
    switch (next) {
      case "connected":
        this.connect(call, members, nowMs);
        break;
      case "hold": {
        info.callState = "Hold";
        info.queueState = "Hold";
        info.holdQueueName = "Hold";
        info.heldByUserId = agent.id;
        call.callerMember.callState = "Hold";
        this.log(call, `Call placed on hold by ${agent.name}`, nowMs);
        break;
      }
      case "resumed": {
        info.callState = "Connected";
        info.queueState = "Connected";
        delete info.holdQueueName;
        delete info.heldByUserId;
        call.callerMember.callState = "Connected";
        this.log(call, `Call resumed by ${agent.name}`, nowMs);
        break;
      }
      case "disconnected": {
        info.dialState = "None";
        info.callState = "Disconnected";
        info.queueState = "Disconnected";
        info.ended = true;
        info.outcome = "Answered";
        info.dateCompleted = new Date(nowMs).toISOString();
        for (const member of members) member.callState = "None";
        if (agentMember !== undefined) agentMember.callState = "None";
        const seconds = Math.round((nowMs - call.session.createdMs) / 1000);
        this.log(
          call,
          `Call ended: completed (duration ${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s)`,
          nowMs,
        );
        break;
      }
    }
    info.dateLastModified = new Date(nowMs).toISOString();
    this.store.changed(call.session);
    this.schedule(() => this.advance(call));
  }

  /** The agent answers: the call is connected, with the agent's leg as a new member. */
  private connect(call: LiveCall, members: MemberFields[], nowMs: number): void {
    const { info } = call.session;
    const agent = call.agent;
    info.callState = "Connected";
    info.queueState = "Connected";
    info.answeredByName = agent.name;
    info.answeredById = agent.id;
    info.queueMemberId = agent.id;
    info.conferenceSid = `CF${this.random.hex(32)}`;
    delete info.ringQueueId;
    call.callerMember.callState = "Connected";
    const legSid = `CA${this.random.hex(32)}`;
    members.push({
      identity: `client:${agent.name.toLowerCase().replace(" ", ".")}`,
      endpointId: agent.id,
      displayName: agent.name,
      isOriginalMember: false,
      callState: "Connected",
      role: "Agent",
      callSid: legSid,
      muted: false,
    });
    info.mostRecentParticipantCallSid = legSid;
    this.log(
      call,
      `Agent ${agent.name} answered after ${Math.round((nowMs - call.session.createdMs) / 1000)} seconds`,
      nowMs,
    );
  }

  private log(call: LiveCall, message: string, nowMs: number): void {
    const session = call.session;
    const last = session.logOffsets[session.logOffsets.length - 1] ?? 0;
    // Through the store, so that its log index learns of the new entry.
    this.store.appendLog(session, message, Math.max(last + 1, nowMs - session.createdMs));
  }
}
