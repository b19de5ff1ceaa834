import { generateStore } from "../src/data/generate.js";
global.gc?.();
const m0 = process.memoryUsage().heapUsed;
const ds = generateStore({ sessions: 100_000, seed: 42, now: new Date("2026-03-01T12:00:00Z") });
global.gc?.();
const m1 = process.memoryUsage().heapUsed;
console.log("total MB", (m1 - m0) / 1e6);
for (const s of ds.sessions) { s.logText = ""; }
global.gc?.();
const m2 = process.memoryUsage().heapUsed;
console.log("logText MB", (m1 - m2) / 1e6);
for (const s of ds.sessions) { s.logOffsets = []; }
global.gc?.();
const m3 = process.memoryUsage().heapUsed;
console.log("offsets MB", (m2 - m3) / 1e6);
for (const s of ds.sessions) { s.fromKey = ""; s.toKey = ""; }
global.gc?.();
const m4 = process.memoryUsage().heapUsed;
console.log("keys MB", (m3 - m4) / 1e6);
for (const s of ds.sessions) { delete s.info.members; }
global.gc?.();
const m5 = process.memoryUsage().heapUsed;
console.log("members MB", (m4 - m5) / 1e6);
console.log("rest MB", (m5 - m0) / 1e6);
for (const s of ds.sessions) { for (const k of ["callSid","conferenceSid","mostRecentParticipantCallSid","dateCompleted","dateCreated","dateLastModified"] as const) delete s.info[k]; }
global.gc?.();
const m6 = process.memoryUsage().heapUsed;
console.log("sids+dates MB", (m5 - m6) / 1e6, "remaining", (m6 - m0) / 1e6, ds.sessions.length);
