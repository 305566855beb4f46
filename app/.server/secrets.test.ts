import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secrets";

describe("stored credentials", () => {
  it("seal and open again; each sealing differs; nothing of the secret shows", () => {
    const a = sealSecret("hunter2-password", "partner-delivery:p1");
    const b = sealSecret("hunter2-password", "partner-delivery:p1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("hunter2");
    expect(openSecret(a, "partner-delivery:p1")).toBe("hunter2-password");
  });

  it("refuses a value sealed for another purpose, altered, or not ours", () => {
    const sealed = sealSecret("s", "partner-delivery:p1");
    expect(() => openSecret(sealed, "partner-delivery:p2")).toThrow(/cannot be read/);
    const [v, iv, tag, body] = sealed.split(".");
    const flipped = Buffer.from(body, "base64url");
    flipped[0] ^= 1;
    expect(() => openSecret([v, iv, tag, flipped.toString("base64url")].join("."), "partner-delivery:p1")).toThrow(/cannot be read/);
    expect(() => openSecret("plain text", "partner-delivery:p1")).toThrow(/not in a form/);
  });
});
