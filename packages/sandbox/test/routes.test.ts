import { describe, expect, it } from "vitest";
import { routeName, routePath } from "../src/http/routes.js";

// Faults name requests with the same matcher that routes them, so the two cannot drift apart.
describe("route names for faults", () => {
  it.each([
    ["/sessions", "sessions"],
    ["/Sessions.json", "sessions"],
    ["/sessions/abc", "session"],
    ["/sessions/a/b", "session"],
    ["/auth", "auth"],
    ["/auth/credentials", "auth"],
    ["/auth/logout", "auth"],
    ["/auth/status", "auth"],
    ["/sessions/my", "sessions"],
    ["/sessions/Active.json", "sessions"],
    ["/sessions/abc/transcript", "session"],
    ["/accounts", "accounts"],
    ["/accounts/a1", "accounts"],
    ["/customers/c1", "customers"],
    ["/endpoints", "endpoints"],
    ["/flows/f1", "flows"],
    ["/calls/active", "calls"],
    ["/json/reply/ListSessions", "sessions"],
    ["/api/GetSession", "session"],
    ["/api/GetCustomer", "customers"],
    ["/json/reply/GetActiveCalls", "calls"],
    ["/api/Authenticate", "auth"],
    ["/api/NoSuchOperation", "other"],
    ["/customers/c1/x", "other"],
    ["/", "other"],
    ["/sessionsx", "other"],
    ["/authx", "other"],
    ["/nowhere", "other"],
  ])("%s is %s", (path, name) => {
    expect(routeName(routePath(path))).toBe(name);
  });
});
