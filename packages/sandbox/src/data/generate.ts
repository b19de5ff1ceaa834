import type { CustomerBreadcrumb } from "../wire/dto.js";
import {
  ACCOUNT_SEEDS,
  CHAT_INBOUND_LINES,
  CHAT_OUTBOUND_LINES,
  CITY_CALLER_NAMES,
  CUSTOMER_NAMES,
  FIRST_NAMES,
  FLOW_NAMES,
  GREETINGS,
  LAST_NAMES,
  QUEUE_NAMES,
  VOICEMAIL_TRANSCRIPTS,
} from "./catalog.js";
import {
  storeSession,
  type CustomerRecord,
  type EndpointRecord,
  type MemberFields,
  type SessionFields,
  type StoredSession,
} from "./model.js";
import type { Random } from "./random.js";

export const DAY_MS = 86_400_000;
/** Sessions span this many days before `now`. */
export const HISTORY_DAYS = 60;
const MAX_LOG_ENTRIES = 300;
const MIN_LOG_ENTRIES = 5;

export interface UserEndpoint extends EndpointRecord {
  userName: string;
  avatarUrl: string | undefined;
  department: string;
}

export interface Caller {
  number: string;
  name: string | undefined;
}

export interface AccountWorld {
  id: string;
  name: string;
  numberBlock: string;
  customers: { record: CustomerRecord; breadcrumb: CustomerBreadcrumb[] }[];
  users: UserEndpoint[];
  numbers: EndpointRecord[];
  queues: EndpointRecord[];
  callers: Caller[];
  flows: string[];
}

/** Collects log entries with increasing timestamps. */
export class LogBuilder {
  readonly messages: string[] = [];
  readonly offsets: number[] = [];
  private t = 0;

  constructor(private readonly rng: Random) {}

  /** Adds an entry `min..max` ms after the previous one (the first is at 0). */
  add(message: string, min = 50, max = 400): void {
    this.addAt(() => message, min, max);
  }

  /**
   * Like {@link add}, but the message is written once its time is known, so that a closing
   * "duration" line states exactly the time from creation to completion.
   */
  addAt(write: (elapsedMs: number) => string, min: number, max: number): void {
    if (this.messages.length > 0) this.t += Math.max(1, this.rng.int(min, max));
    this.messages.push(write(this.t));
    this.offsets.push(this.t);
  }

  /** Adds the closing entry of a completed conversation after `talkMs` of talking. */
  endCompleted(talkMs: number): void {
    this.addAt(
      (elapsed) => `Call ended: completed (duration ${formatDuration(elapsed)})`,
      talkMs,
      talkMs + 2_000,
    );
  }

  get elapsed(): number {
    return this.t;
  }

  /** Offset of the latest entry starting with `prefix` (0 when there is none). */
  lastOffsetOf(prefix: string): number {
    for (let i = this.messages.length - 1; i >= 0; i--)
      if (this.messages[i]?.startsWith(prefix) === true) return this.offsets[i] ?? 0;
    return 0;
  }

  get size(): number {
    return this.messages.length;
  }

  /** Room left before the 300-entry cap, keeping `reserve` for the closing entries. */
  room(reserve: number): number {
    return Math.max(0, MAX_LOG_ENTRIES - reserve - this.messages.length);
  }
}

function phoneNumber(rng: Random, block: string): string {
  return `+1555${block}${rng.digits(5)}`;
}

function externalNumber(rng: Random): string {
  // 555 right after the country code keeps every number fictional and makes "555" searches work.
  return `+1555${rng.int(2, 9)}${rng.digits(6)}`;
}

function personName(rng: Random): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

export function twilioSid(rng: Random, prefix: "CA" | "CF" | "FX"): string {
  return `${prefix}${rng.hex(32)}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
}

/** How many extra entries a waiting loop or conversation gets: mostly few, sometimes hundreds. */
function skewedCount(rng: Random): number {
  const roll = rng.next();
  if (roll < 0.7) return rng.int(0, 3);
  if (roll < 0.96) return rng.int(4, 30);
  return rng.int(31, 280);
}

/** What an account's world is built from: the fixed accounts' seeds, or a generated fleet's. */
export interface WorldSeed {
  id: string;
  name: string;
  numberBlock: string;
}

/**
 * One account's people and things: customers (`customerNames`, the first the root), agents,
 * numbers, queues, flows and `callerCount` outside callers, drawn in this order from `rng`.
 */
export function buildAccountWorld(
  rng: Random,
  seed: WorldSeed,
  customerNames: readonly string[],
  callerCount = 150,
): AccountWorld {
  const world: AccountWorld = {
    id: seed.id,
    name: seed.name,
    numberBlock: seed.numberBlock,
    customers: [],
    users: [],
    numbers: [],
    queues: [],
    callers: [],
    flows: [],
  };
  customerNames.forEach((name, index) => {
    // The first customer is the root; each later one hangs under an earlier one (depth <= 3).
    const parent =
      index === 0 ? undefined : rng.pick(world.customers.filter((c) => c.breadcrumb.length < 3));
    const record: CustomerRecord = { id: rng.hex(32), name, accountId: seed.id };
    if (parent !== undefined) record.parentId = parent.record.id;
    const breadcrumb = [...(parent?.breadcrumb ?? []), { id: record.id, name }];
    world.customers.push({ record, breadcrumb });
  });
  const userCount = rng.int(4, 8);
  const taken = new Set<string>();
  while (world.users.length < userCount) {
    const name = personName(rng);
    if (taken.has(name)) continue;
    taken.add(name);
    const id = rng.hex(32);
    world.users.push({
      id,
      name,
      accountId: seed.id,
      kind: "user",
      userName: name.toLowerCase().replace(" ", "."),
      avatarUrl: rng.chance(0.5) ? `https://evovoice.io/avatars/${id}.png` : undefined,
      department: rng.pick(QUEUE_NAMES),
    });
  }
  const numberCount = rng.int(2, 4);
  for (let i = 0; i < numberCount; i++) {
    world.numbers.push({
      id: rng.hex(32),
      name: phoneNumber(rng, seed.numberBlock),
      accountId: seed.id,
      kind: "phoneNumber",
    });
  }
  const queueNames = [...QUEUE_NAMES].sort(() => rng.next() - 0.5).slice(0, rng.int(2, 3));
  for (const name of queueNames) {
    world.queues.push({ id: rng.hex(32), name, accountId: seed.id, kind: "queue" });
  }
  world.flows = [...FLOW_NAMES].sort(() => rng.next() - 0.5).slice(0, 3);
  for (let i = 0; i < callerCount; i++) {
    const kind = rng.next();
    world.callers.push({
      number: externalNumber(rng),
      name: kind < 0.4 ? personName(rng) : kind < 0.7 ? rng.pick(CITY_CALLER_NAMES) : undefined,
    });
  }
  return world;
}

/** The customers and endpoints of these worlds as the public records carry them. */
export function publicRecords(worlds: readonly AccountWorld[]): {
  customers: CustomerRecord[];
  endpoints: EndpointRecord[];
} {
  const customers = worlds.flatMap((world) => world.customers.map((c) => c.record));
  const endpoints = worlds.flatMap((world) => [...world.users, ...world.numbers, ...world.queues]);
  // Public records carry only the documented fields.
  return {
    customers,
    endpoints: endpoints.map(({ id, name, accountId, kind }) => ({ id, name, accountId, kind })),
  };
}

/** The worlds of the six fixed accounts. */
export function buildWorld(rng: Random): AccountWorld[] {
  return ACCOUNT_SEEDS.map((seed) => buildAccountWorld(rng, seed, CUSTOMER_NAMES[seed.id] ?? []));
}

/** A session before its creation time is known: content first, so that it can end before `now`. */
export interface Draft {
  info: SessionFields;
  log: LogBuilder;
  /** Offset (ms after creation) at which a transfer created a child, if any. */
  transferAt?: number;
  child?: Draft;
}

export type Outcome = "Answered" | "Voicemail" | "Abandoned" | "Busy" | "No Answer" | "Failed";

export function pickCaller(rng: Random, world: AccountWorld): Caller {
  // A few callers call often: square the roll to skew towards the start of the list.
  const roll = rng.next();
  return world.callers[Math.floor(roll * roll * world.callers.length)] as Caller;
}

/** The fields an ended session of this account starts with. */
function accountFields(world: AccountWorld): SessionFields {
  return {
    dialState: "None",
    callState: "Disconnected",
    queueState: "None",
    accountId: world.id,
    accountName: world.name,
  };
}

/** A new draft: the account's fields and the customer on the session, and an empty log. */
export function newDraft(
  world: AccountWorld,
  rng: Random,
): { info: SessionFields; log: LogBuilder } {
  const info = accountFields(world);
  // The id is known up front: a transfer's child names its parent in its log. Added rather than
  // spread into a new object, which made generating 100k sessions three times slower.
  info.id = rng.hex(32);
  if (rng.chance(0.93)) {
    const customer = rng.pick(world.customers);
    info.customerId = customer.record.id;
    info.customerBreadcrumb = customer.breadcrumb;
    info.customerName = customer.record.name;
  }
  return { info, log: new LogBuilder(rng) };
}

function agentMember(
  agent: UserEndpoint,
  role: "Agent" | "Transfer",
  rng: Random,
  original: boolean,
): MemberFields {
  const member: MemberFields = {
    identity: `client:${agent.userName}`,
    endpointId: agent.id,
    displayName: agent.name,
    isOriginalMember: original,
  };
  if (agent.avatarUrl !== undefined) member.avatarUrl = agent.avatarUrl;
  member.applicationData = { department: agent.department };
  member.callState = "None";
  member.role = role;
  member.callSid = twilioSid(rng, "CA");
  member.muted = false;
  return member;
}

export function externalMember(
  caller: Caller,
  role: "Caller" | "None",
  original: boolean,
  callSid: string | undefined,
): MemberFields {
  const member: MemberFields = {
    identity: caller.number,
    displayName: caller.name ?? caller.number,
    isOriginalMember: original,
    callState: "None",
    role,
  };
  if (callSid !== undefined) member.callSid = callSid;
  member.muted = false;
  return member;
}

/** How a session ended, as every channel records it. */
export interface Ending {
  endpoint: { id: string; name: string };
  /** The address called or written to: both `destination` and `toAddress`. */
  to: string;
  from: string;
  fromName: string | undefined;
  channel: "Voice" | "Chat" | "Fax";
  outcome: string;
  callSid?: string;
  displayName: string;
  members: MemberFields[];
  direction: "Incoming" | "Outgoing";
  wasMissed: boolean;
}

/** Writes the fields every ended session carries, whatever its channel. */
export function recordEnding(info: SessionFields, ending: Ending): void {
  info.endpointId = ending.endpoint.id;
  info.endpointName = ending.endpoint.name;
  info.destination = ending.to;
  info.toAddress = ending.to;
  info.fromAddress = ending.from;
  if (ending.fromName !== undefined) info.fromName = ending.fromName;
  info.channel = ending.channel;
  info.ended = true;
  info.outcome = ending.outcome;
  if (ending.callSid !== undefined) info.callSid = ending.callSid;
  info.holdReason = "None";
  info.displayName = ending.displayName;
  info.members = ending.members;
  info.direction = ending.direction;
  info.wasMissed = ending.wasMissed;
}

function waitInQueue(log: LogBuilder, rng: Random, queue: string): void {
  log.add(`Dialing queue '${queue}'`, 100, 300);
  const position = rng.int(1, 6);
  log.add(`Queued at position ${position}`, 200, 800);
  const loops = Math.min(skewedCount(rng), log.room(12));
  for (let i = 0; i < loops; i++) {
    if (i % 2 === 0)
      log.add(
        `Still waiting in queue '${queue}' (position ${Math.max(1, position - (i >> 2))})`,
        15_000,
        30_000,
      );
    else log.add("Played hold music", 5_000, 15_000);
  }
}

function talk(log: LogBuilder, rng: Random, agentName: string): void {
  if (rng.chance(0.15)) {
    log.add(`Call placed on hold by ${agentName}`, 20_000, 300_000);
    log.add("Playing hold music", 500, 1_500);
    log.add(`Call resumed by ${agentName}`, 10_000, 180_000);
  }
  if (rng.chance(0.1)) log.add(`${agentName} added a note to the session`, 10_000, 60_000);
}

function talkTime(rng: Random): number {
  return Math.round(30_000 * Math.exp(rng.next() * 4));
}

/** The caller's way in: the number dialled, business hours, greeting and menu; the queue reached. */
function greetCaller(
  world: AccountWorld,
  log: LogBuilder,
  rng: Random,
  call: { caller: Caller; number: EndpointRecord; flow: string },
): { open: boolean; queue: EndpointRecord } {
  const { caller, number, flow } = call;
  log.add(`Call received from ${caller.number} to ${number.name}`);
  if (caller.name !== undefined) log.add(`Caller ID name: ${caller.name}`, 200, 800);
  log.add(`Entered flow '${flow}'`, 100, 400);
  const open = rng.chance(0.85);
  log.add(`Checked business hours: ${open ? "open" : "closed"}`, 50, 200);
  log.add(`Played greeting '${open ? rng.pick(GREETINGS) : "After Hours"}'`, 3_000, 9_000);
  let queue = rng.pick(world.queues);
  if (open && rng.chance(0.7)) {
    const digit = rng.int(1, world.queues.length);
    queue = world.queues[digit - 1] as EndpointRecord;
    log.add(`Gathered digits: ${digit}`, 2_000, 8_000);
    log.add(`Selected menu option ${digit} (${queue.name})`, 50, 150);
  }
  return { open, queue };
}

/** How an incoming call ends: after hours nobody can answer. */
function incomingOutcome(rng: Random, open: boolean): Outcome {
  return open
    ? rng.weighted<Outcome>([
        ["Answered", 66],
        ["Voicemail", 12],
        ["Abandoned", 10],
        ["No Answer", 7],
        ["Busy", 2],
        ["Failed", 3],
      ])
    : rng.weighted<Outcome>([
        ["Voicemail", 70],
        ["Abandoned", 25],
        ["Failed", 5],
      ]);
}

/** An agent answers; now and then the call is transferred, which gives it a child session. */
function answerIncoming(
  world: AccountWorld,
  rng: Random,
  draft: Draft,
  call: { caller: Caller; members: MemberFields[]; allowTransfer: boolean },
): Draft {
  const { info, log } = draft;
  const ringing = [...world.users].sort(() => rng.next() - 0.5).slice(0, rng.int(1, 3));
  const agent = ringing[0] as UserEndpoint;
  log.add(
    `Ringing ${ringing.length} agent${ringing.length > 1 ? "s" : ""}: ${ringing.map((a) => a.name).join(", ")}`,
    200,
    600,
  );
  const waited = rng.int(3, 25);
  log.add(
    `Agent ${agent.name} answered after ${waited} seconds`,
    waited * 1000,
    waited * 1000 + 500,
  );
  const conferenceSid = twilioSid(rng, "CF");
  log.add(`Joined conference ${conferenceSid}`, 100, 300);
  const agentLeg = agentMember(agent, "Agent", rng, false);
  call.members.push(agentLeg);
  talk(log, rng, agent.name);
  info.answeredByName = agent.name;
  info.answeredById = agent.id;
  info.queueMemberId = agent.id;
  info.conferenceSid = conferenceSid;
  info.mostRecentParticipantCallSid = agentLeg.callSid as string;
  if (!(call.allowTransfer && rng.chance(0.08))) {
    log.endCompleted(talkTime(rng));
    return draft;
  }
  const target = rng.pick(world.users.filter((u) => u.id !== agent.id));
  const talked = talkTime(rng);
  log.add(`Call transferred to ${target.name} by ${agent.name}`, talked, talked + 2_000);
  const child = transferChild(world, rng, info, call.caller, target, agent);
  const transferred: Draft = { info, log, transferAt: log.elapsed, child };
  log.add(`Created transfer session ${child.info.id as string}`, 50, 150);
  const transferLeg = agentMember(target, "Transfer", rng, false);
  call.members.push(transferLeg);
  info.mostRecentParticipantCallSid = transferLeg.callSid as string;
  log.add(`Agent ${agent.name} left the conference`, 2_000, 20_000);
  log.add("Call ended: transferred", 100, 300);
  return transferred;
}

/** The log of an incoming call nobody answered, by how it ended. */
function missIncoming(
  log: LogBuilder,
  rng: Random,
  outcome: Exclude<Outcome, "Answered">,
  reached: { open: boolean; queue: EndpointRecord },
): void {
  const { open, queue } = reached;
  switch (outcome) {
    case "Voicemail": {
      if (open) log.add(`No agent answered within ${rng.int(30, 90)} seconds`, 30_000, 90_000);
      log.add(`Redirected to voicemail box '${queue.name}'`, 100, 300);
      log.add("Played voicemail greeting", 5_000, 12_000);
      const length = rng.int(5, 120);
      log.add("Recording voicemail", 500, 1_500);
      log.add(`Voicemail recorded (${length} seconds)`, length * 1000, length * 1000 + 800);
      log.add(`Transcription: "${rng.pick(VOICEMAIL_TRANSCRIPTS)}"`, 2_000, 8_000);
      log.add("Call ended: completed", 100, 500);
      return;
    }
    case "Abandoned": {
      // After hours nobody is queued: the caller gives up during the closed message.
      const seconds = open ? rng.int(5, 240) : rng.int(3, 40);
      // The seconds stated are those since the caller was queued (or heard the message).
      const since = log.lastOffsetOf(open ? "Queued at position" : "Played greeting");
      log.addAt(
        (elapsed) =>
          open
            ? `Caller hung up while waiting in queue '${queue.name}' after ${Math.round((elapsed - since) / 1000)} seconds`
            : `Caller hung up during the after-hours message after ${Math.round((elapsed - since) / 1000)} seconds`,
        seconds * 1000,
        seconds * 1000 + 900,
      );
      log.add("Call ended: caller hung up", 50, 200);
      return;
    }
    case "No Answer": {
      const seconds = rng.int(30, 120);
      log.add(`No agent answered within ${seconds} seconds`, seconds * 1000, seconds * 1000 + 900);
      log.add("Call ended: no-answer", 50, 200);
      return;
    }
    case "Busy":
      log.add("All agents are busy", 300, 1_000);
      log.add("Played busy message", 4_000, 8_000);
      log.add("Call ended: busy", 50, 200);
      return;
    case "Failed":
      log.add("Error 31005: the connection to the caller was lost", 500, 20_000);
      log.add("Call ended: failed", 50, 200);
  }
}

/** The caller and number of a call that follows another (a retry), instead of random ones. */
export interface Parties {
  caller: Caller;
  number: EndpointRecord;
}

export function incomingVoice(
  world: AccountWorld,
  rng: Random,
  allowTransfer: boolean,
  parties?: Parties,
): Draft {
  const { info, log } = newDraft(world, rng);
  // Drawn in the same order with or without `parties`, so that plain data stays as it was.
  const caller = parties?.caller ?? pickCaller(rng, world);
  const number = parties?.number ?? rng.pick(world.numbers);
  const flow = rng.pick(world.flows);
  const callSid = twilioSid(rng, "CA");
  const members: MemberFields[] = [externalMember(caller, "Caller", true, callSid)];
  const reached = greetCaller(world, log, rng, { caller, number, flow });
  const outcome = incomingOutcome(rng, reached.open);
  if (reached.open && outcome !== "Failed" && outcome !== "Busy") {
    waitInQueue(log, rng, reached.queue.name);
    info.queueState = "Disconnected";
  }
  let draft: Draft = { info, log };
  if (outcome === "Answered")
    draft = answerIncoming(world, rng, draft, { caller, members, allowTransfer });
  else missIncoming(log, rng, outcome, reached);
  recordEnding(info, {
    endpoint: number,
    to: number.name,
    from: caller.number,
    fromName: caller.name,
    channel: "Voice",
    outcome,
    callSid,
    displayName: caller.name ?? caller.number,
    members,
    direction: "Incoming",
    // Missed: nobody took a call that reached the business (a dropped connection is a failure).
    wasMissed: outcome !== "Answered" && outcome !== "Failed",
  });
  if (rng.chance(0.03)) info.consoleData = JSON.stringify({ ticket: `T-${rng.digits(5)}` });
  return draft;
}

function transferChild(
  world: AccountWorld,
  rng: Random,
  parent: SessionFields,
  caller: Caller,
  target: UserEndpoint,
  from: UserEndpoint,
): Draft {
  const info = accountFields(world);
  if (parent.customerId !== undefined) {
    info.customerId = parent.customerId;
    info.customerBreadcrumb = parent.customerBreadcrumb;
    info.customerName = parent.customerName;
  }
  const id = rng.hex(32);
  const log = new LogBuilder(rng);
  const callSid = twilioSid(rng, "CA");
  const conferenceSid = twilioSid(rng, "CF");
  log.add(`Transferred from session ${parent.id as string} by ${from.name}`);
  log.add(`Ringing ${target.name}`, 100, 400);
  const waited = rng.int(2, 15);
  log.add(
    `Agent ${target.name} answered after ${waited} seconds`,
    waited * 1000,
    waited * 1000 + 500,
  );
  log.add(`Joined conference ${conferenceSid}`, 100, 300);
  talk(log, rng, target.name);
  log.endCompleted(talkTime(rng));
  const agentLeg = agentMember(target, "Agent", rng, false);
  Object.assign(info, {
    endpointId: target.id,
    endpointName: target.name,
    destination: target.name,
    toAddress: `client:${target.userName}`,
    fromAddress: caller.number,
    ...(caller.name === undefined ? {} : { fromName: caller.name }),
    answeredByName: target.name,
    queueMemberId: target.id,
    channel: "Voice",
    ended: true,
    outcome: "Answered",
    callSid,
    holdReason: "None",
    conferenceSid,
    displayName: caller.name ?? caller.number,
    members: [externalMember(caller, "Caller", false, twilioSid(rng, "CA")), agentLeg],
    answeredById: target.id,
    direction: "Incoming",
    mostRecentParticipantCallSid: agentLeg.callSid,
    wasMissed: false,
    id,
  } satisfies SessionFields);
  return { info, log };
}

/** The log of an outgoing call the callee did not take, by how it ended. */
function notReached(
  log: LogBuilder,
  rng: Random,
  outcome: Exclude<Outcome, "Answered">,
  callee: Caller,
): void {
  switch (outcome) {
    case "No Answer": {
      const seconds = rng.int(20, 60);
      log.add(
        `No answer from ${callee.number} after ${seconds} seconds`,
        seconds * 1000,
        seconds * 1000 + 500,
      );
      log.add("Call ended: no-answer", 50, 200);
      break;
    }
    case "Voicemail": {
      log.add(`${callee.number} answered by voicemail (machine detected)`, 15_000, 30_000);
      const length = rng.int(10, 60);
      log.add(`Left a voicemail message of ${length} seconds`, length * 1000, length * 1000 + 500);
      log.add("Call ended: completed", 50, 200);
      break;
    }
    case "Busy": {
      log.add(`${callee.number} is busy`, 1_000, 4_000);
      log.add("Call ended: busy", 50, 200);
      break;
    }
    default: {
      log.add(`Error 13224: ${callee.number} could not be reached`, 500, 3_000);
      log.add("Call ended: failed", 50, 200);
    }
  }
}

/** An agent's outbound call: to `callee` as written (a callback), else to a random contact. */
export function outgoingVoice(world: AccountWorld, rng: Random, callee?: Caller): Draft {
  const { info, log } = newDraft(world, rng);
  const agent = rng.pick(world.users);
  const dialled = pickCaller(rng, world);
  callee ??= dialled;
  const from = rng.pick(world.numbers);
  const callSid = twilioSid(rng, "CA");
  const agentLeg = agentMember(agent, "Agent", rng, true);
  const members: MemberFields[] = [agentLeg];
  log.add(`Outbound call started by ${agent.name} to ${callee.number}`);
  log.add(`Caller ID set to ${from.name}`, 50, 200);
  log.add(`Dialing ${callee.number}`, 100, 400);
  log.add(`Ringing ${callee.number}`, 800, 3_000);
  const outcome = rng.weighted<Outcome>([
    ["Answered", 70],
    ["No Answer", 12],
    ["Voicemail", 10],
    ["Busy", 5],
    ["Failed", 3],
  ]);
  if (outcome === "Answered") {
    const seconds = rng.int(3, 25);
    log.add(
      `${callee.number} answered after ${seconds} seconds`,
      seconds * 1000,
      seconds * 1000 + 500,
    );
    const conferenceSid = twilioSid(rng, "CF");
    log.add(`Joined conference ${conferenceSid}`, 100, 300);
    talk(log, rng, agent.name);
    log.endCompleted(talkTime(rng));
    info.conferenceSid = conferenceSid;
    info.answeredByName = callee.name ?? callee.number;
    members.push(externalMember(callee, "None", false, callSid));
  } else {
    notReached(log, rng, outcome, callee);
  }
  recordEnding(info, {
    endpoint: agent,
    to: callee.number,
    from: from.name,
    fromName: world.name,
    channel: "Voice",
    outcome,
    callSid,
    displayName: callee.name ?? callee.number,
    members,
    direction: "Outgoing",
    wasMissed: false,
  });
  if (rng.chance(0.2)) info.callbackNumber = from.name;
  info.mostRecentParticipantCallSid = callSid;
  info.createdBy = agent.id;
  return { info, log };
}

function chat(world: AccountWorld, rng: Random, incoming: boolean): Draft {
  const { info, log } = newDraft(world, rng);
  const contact = pickCaller(rng, world);
  const number = rng.pick(world.numbers);
  const agent = rng.pick(world.users);
  // The contact is the caller of an incoming conversation and a plain participant of one the
  // agent started, as in outgoing calls.
  const members: MemberFields[] = [
    externalMember(contact, incoming ? "Caller" : "None", incoming, undefined),
  ];
  if (incoming) {
    log.add(`SMS received from ${contact.number} to ${number.name}`);
    log.add(`Entered flow '${rng.pick(world.flows)}'`, 100, 400);
    log.add(`Message from ${contact.number}: "${rng.pick(CHAT_INBOUND_LINES)}"`, 10, 50);
    log.add('Auto-reply sent: "Thanks for your message, we will reply shortly."', 500, 2_000);
  } else {
    members.push(agentMember(agent, "Agent", rng, true));
    log.add(`SMS conversation started by ${agent.name} to ${contact.number}`);
    log.add(`Sender number set to ${number.name}`, 50, 200);
    log.add(`Message from ${agent.name}: "${rng.pick(CHAT_OUTBOUND_LINES)}"`, 100, 500);
  }
  const exchanges = Math.min(skewedCount(rng), log.room(4));
  // An incoming conversation is answered when an agent joins; an outgoing one when the contact replies.
  const answered = incoming ? rng.chance(0.85) : exchanges > 0;
  if (answered) {
    if (incoming) {
      log.add(`Agent ${agent.name} joined the conversation`, 30_000, 600_000);
      members.push(agentMember(agent, "Agent", rng, false));
    }
    for (let i = 0; i < exchanges; i++) {
      // Turns alternate, starting with whoever did not write last: the agent after an
      // incoming message, the contact after the agent's opening one.
      const fromContact = (i % 2 === 0) !== incoming;
      const line = fromContact ? rng.pick(CHAT_INBOUND_LINES) : rng.pick(CHAT_OUTBOUND_LINES);
      log.add(
        `Message from ${fromContact ? contact.number : agent.name}: "${line}"`,
        5_000,
        90_000,
      );
    }
    log.add(`Conversation closed by ${agent.name}`, 60_000, 600_000);
    if (incoming) {
      info.answeredByName = agent.name;
      info.answeredById = agent.id;
    } else {
      info.answeredByName = contact.name ?? contact.number;
    }
  } else if (incoming) {
    log.add("No agent replied within 30 minutes", 1_800_000, 1_800_500);
    log.add("Conversation closed: no reply", 50, 200);
  } else {
    log.add(`No reply from ${contact.number} within 2 hours`, 7_200_000, 7_200_500);
    log.add(`Conversation closed by ${agent.name}: no reply`, 50, 200);
  }
  recordEnding(info, {
    endpoint: number,
    to: incoming ? number.name : contact.number,
    from: incoming ? contact.number : number.name,
    fromName: incoming ? contact.name : undefined,
    channel: "Chat",
    outcome: answered ? "Answered" : "No Answer",
    displayName: contact.name ?? contact.number,
    members,
    direction: incoming ? "Incoming" : "Outgoing",
    wasMissed: incoming && !answered,
  });
  info.fromPhoneNumber = contact.number;
  if (!incoming) info.createdBy = agent.id;
  return { info, log };
}

function fax(world: AccountWorld, rng: Random, incoming: boolean): Draft {
  const { info, log } = newDraft(world, rng);
  const contact = pickCaller(rng, world);
  const number = rng.pick(world.numbers);
  const callSid = twilioSid(rng, "FX");
  const pages = rng.int(1, 12);
  const failed = rng.chance(0.08);
  if (incoming) {
    log.add(`Fax received from ${contact.number} to ${number.name}`);
    log.add(`Entered flow '${rng.pick(world.flows)}'`, 100, 400);
    log.add("Receiving fax", 1_000, 3_000);
  } else {
    const agent = rng.pick(world.users);
    log.add(`Fax queued by ${agent.name} to ${contact.number}`);
    log.add(`Dialing ${contact.number}`, 1_000, 5_000);
    info.createdBy = agent.id;
  }
  const sent = failed ? rng.int(0, pages - 1) : pages;
  for (let page = 1; page <= sent; page++) {
    log.add(`${incoming ? "Received" : "Sent"} page ${page} of ${pages}`, 15_000, 45_000);
  }
  if (failed) {
    log.add(`Fax failed after ${sent} of ${pages} pages: transmission error`, 5_000, 30_000);
    log.add("Session ended: failed", 50, 200);
  } else if (incoming) {
    log.add(`Fax received: ${pages} pages`, 500, 2_000);
    log.add("Stored fax document", 200, 800);
    log.add("Session ended: fax received", 50, 200);
  } else {
    log.add(`Fax delivered: ${pages} pages`, 500, 2_000);
    log.add("Session ended: fax delivered", 50, 200);
  }
  recordEnding(info, {
    endpoint: number,
    to: incoming ? number.name : contact.number,
    from: incoming ? contact.number : number.name,
    fromName: incoming ? contact.name : undefined,
    channel: "Fax",
    outcome: failed ? "Failed" : incoming ? "Received" : "Delivered",
    callSid,
    displayName: contact.name ?? contact.number,
    members: [externalMember(contact, incoming ? "Caller" : "None", true, callSid)],
    direction: incoming ? "Incoming" : "Outgoing",
    wasMissed: false,
  });
  return { info, log };
}

export function draftSession(world: AccountWorld, rng: Random, allowTransfer: boolean): Draft {
  const channel = rng.weighted([
    ["Voice", 80],
    ["Chat", 14],
    ["Fax", 6],
  ] as const);
  if (channel === "Chat") return chat(world, rng, rng.chance(0.6));
  if (channel === "Fax") return fax(world, rng, rng.chance(0.5));
  return rng.chance(0.7) ? incomingVoice(world, rng, allowTransfer) : outgoingVoice(world, rng);
}

// The accounts are North-American businesses: traffic follows their local clock (about UTC-5),
// busy from 8:00 to 18:00, quiet at night, and much lighter at weekends.
export const LOCAL_OFFSET_MS = -5 * 3_600_000;
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 3, 8, 10, 10, 10, 9, 10, 10, 10, 9, 8, 5, 4, 3, 3, 2, 1];
// Sunday first, as Date.getUTCDay() counts.
const DAY_WEIGHTS = [0.3, 1, 1, 1, 1, 0.95, 0.5];
const MAX_WEIGHT = 10;

export function pickCreatedMs(
  rng: Random,
  nowMs: number,
  latestMs: number,
  historyDays = HISTORY_DAYS,
): number {
  const earliest = nowMs - historyDays * DAY_MS;
  const span = Math.max(1, latestMs - earliest);
  for (let attempt = 0; attempt < 40; attempt++) {
    const t = earliest + Math.floor(rng.next() * span);
    const local = new Date(t + LOCAL_OFFSET_MS);
    const weight = (HOUR_WEIGHTS[local.getUTCHours()] ?? 1) * (DAY_WEIGHTS[local.getUTCDay()] ?? 1);
    if (rng.next() * MAX_WEIGHT < weight) return t;
  }
  return earliest + Math.floor(rng.next() * span);
}

export function finish(
  draft: Draft,
  createdMs: number,
  parentSessionId: string | undefined,
  rng: Random,
): StoredSession {
  const { info, log } = draft;
  if (info.id === undefined) info.id = rng.hex(32);
  while (log.size < MIN_LOG_ENTRIES) log.add("Session state saved", 50, 200);
  const completedMs = createdMs + log.elapsed;
  info.dateCompleted = new Date(completedMs).toISOString();
  info.dateCreated = new Date(createdMs).toISOString();
  info.dateLastModified = new Date(completedMs + rng.int(50, 5_000)).toISOString();
  return storeSession(info, createdMs, parentSessionId, log.messages, log.offsets);
}

/** Compares stored sessions newest first, ties by id descending (the default order). */
export function compareNewestFirst(a: StoredSession, b: StoredSession): number {
  if (a.createdMs !== b.createdMs) return b.createdMs - a.createdMs;
  const idA = a.id;
  const idB = b.id;
  return idA < idB ? 1 : idA > idB ? -1 : 0;
}
