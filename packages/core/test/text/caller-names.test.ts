import { describe, expect, it } from "vitest";
import { formatPhoneNumber } from "../../src/analytics/phone-numbers.js";
import { callerNameCase } from "../../src/text/caller-names.js";

describe("callerNameCase", () => {
  it("writes ALL-CAPS caller-ID names in title case, keeping state codes", () => {
    expect(callerNameCase("AUSTIN TX")).toBe("Austin TX");
    expect(callerNameCase("SMITH JOHN")).toBe("Smith John");
    expect(callerNameCase("O'BRIEN-LEE")).toBe("O'Brien-Lee");
    expect(callerNameCase("WIRELESS CALLER")).toBe("Wireless Caller");
  });

  it("leaves names with lower-case letters, numbers and empty text alone", () => {
    expect(callerNameCase("McDonald")).toBe("McDonald");
    expect(callerNameCase("Front Desk")).toBe("Front Desk");
    expect(callerNameCase("+15556801840")).toBe("+15556801840");
    expect(callerNameCase("")).toBe("");
  });
});

describe("formatPhoneNumber", () => {
  it("writes a number of the country nationally, others internationally", () => {
    expect(formatPhoneNumber("+15126801840", { country: "US" })).toBe("(512) 680-1840");
    expect(formatPhoneNumber("+442071838750", { country: "US" })).toBe("+44 20 7183 8750");
    expect(formatPhoneNumber("+442071838750", { country: "GB" })).toBe("020 7183 8750");
  });

  it("writes E.164 and international forms", () => {
    expect(formatPhoneNumber("(512) 680-1840", { style: "e164" })).toBe("+15126801840");
    expect(formatPhoneNumber("5126801840", { style: "international" })).toBe("+1 512 680 1840");
  });

  it("returns what it cannot read unchanged", () => {
    expect(formatPhoneNumber("client:ann")).toBe("client:ann");
    expect(formatPhoneNumber("anonymous")).toBe("anonymous");
    expect(formatPhoneNumber("611")).toBe("611");
  });
});

describe("formatPhoneNumber across a shared calling code", () => {
  it("writes +1 numbers with no assigned area nationally too", () => {
    expect(formatPhoneNumber("+15559314981", { country: "US" })).toBe("(555) 931-4981");
  });
});
