import { describe, expect, it } from "vitest";
import type { SessionInfo } from "@evo-sessions/core";
import { SeenDirectory } from "../src/directory.js";

describe("SeenDirectory", () => {
  it("labels a session with its caller and start as ISO 8601, also from a WCF wire date", () => {
    const directory = new SeenDirectory();
    directory.noteSession({
      id: "s_1",
      fromName: "Ann",
      dateCreated: "/Date(1764412800000-0000)/",
    } as SessionInfo);
    directory.noteSession({
      id: "s_2",
      fromAddress: "+15551234567",
      dateCreated: "2026-03-11T15:02:18.512Z",
    } as SessionInfo);
    expect(directory.label("session", "s_1")).toBe("Ann 2025-11-29T10:40Z");
    expect(directory.label("session", "s_2")).toBe("+15551234567 2026-03-11T15:02Z");
  });
});
