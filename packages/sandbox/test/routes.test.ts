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
    ["/", "other"],
    ["/sessionsx", "other"],
    ["/authx", "other"],
    ["/nowhere", "other"],
  ])("%s is %s", (path, name) => {
    expect(routeName(routePath(path))).toBe(name);
  });
});
