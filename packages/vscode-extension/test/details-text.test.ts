// The details page reads like the row: a heading from the parties, no repeated facts.
import type { SessionInfo } from "@evo-sessions/core";
import { describe, expect, it } from "vitest";
import { detailsHeading, renderSessionMarkdown } from "../src/details/session-markdown.js";
import { sessionDescription } from "../src/sessions/session-text.js";

const options = {
  timeZone: "UTC",
  now: new Date("2025-12-01T05:00:00Z"),
  sandbox: false,
  source: "x",
};

describe("Details text", () => {
  it("heads a missed call with its caller, title-cased, and an outgoing call with who was called", () => {
    const missed = {
      id: "a",
      direction: "Incoming",
      channel: "Voice",
      fromName: "AUSTIN TX",
      fromAddress: "+15126801840",
      toAddress: "+15556801840",
      wasMissed: true,
      ended: true,
      dateCreated: "2025-12-01T04:51:00Z",
      dateCompleted: "2025-12-01T04:51:12Z",
    } as SessionInfo;
    expect(detailsHeading(missed)).toBe("Missed call from Austin TX");
    const out = {
      id: "b",
      direction: "Outgoing",
      channel: "Voice",
      endpointName: "Front Desk",
      toAddress: "+15556801840",
      destination: "+15556801840",
      answeredByName: "AUSTIN TX",
      members: [{ displayName: "Front Desk", role: "Agent" }],
      ended: true,
      dateCreated: "2025-12-01T04:00:00Z",
      dateCompleted: "2025-12-01T04:03:12Z",
    } as SessionInfo;
    expect(detailsHeading(out)).toBe("Outgoing call to (555) 680-1840");
    const text = renderSessionMarkdown(out, options);
    expect(text).not.toMatch(/\| Destination \|/);
    expect(text).not.toMatch(/\| Answered by \|/);
    expect(text).toContain("| Duration | 3m 12s |");
    expect(text).toContain("Call\u00a0state");
  });

  it("a live row and its details state the same timing fact", () => {
    const live = {
      id: "c",
      direction: "Incoming",
      channel: "Voice",
      callState: "Ringing",
      fromAddress: "+15126801840",
      dateCreated: "2025-12-01T04:59:59Z",
    } as SessionInfo;
    expect(sessionDescription(live, options)).toContain("ringing 1s");
    expect(renderSessionMarkdown(live, options)).toContain("| Ringing | 1s |");
  });
});
