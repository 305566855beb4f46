import { describe, expect, it } from "vitest";
import { formatApiKey, looksLikeApiKey, parseApiKey, scopeAllows, shouldRecordUse } from "./api-key";

const PREFIX = "0123456789ab";
const SECRET = "A".repeat(20) + "_-" + "z9".repeat(10) + "Q"; // 43 base64url characters, with _ and -

describe("API key text", () => {
  it("parses what it formats, a secret holding _ included", () => {
    expect(SECRET).toHaveLength(43);
    expect(parseApiKey(formatApiKey(PREFIX, SECRET))).toEqual({ ok: true, prefix: PREFIX, secret: SECRET });
  });

  it.each([
    ["a session token", "eyJhbGciOiJIUzI1NiJ9.e30.sig"],
    ["no secret", `oms_${PREFIX}`],
    ["a short prefix", `oms_0123_${SECRET}`],
    ["an upper-case prefix", `oms_0123456789AB_${SECRET}`],
    ["a short secret", `oms_${PREFIX}_${SECRET.slice(1)}`],
    ["a secret with other characters", `oms_${PREFIX}_${SECRET.slice(1)}=`],
    ["nothing", ""],
  ])("refuses %s, saying why", (_label, text) => {
    const parsed = parseApiKey(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/\w/);
  });

  it("takes any bearer starting with oms_ for a key, and nothing else", () => {
    expect(looksLikeApiKey(`oms_${PREFIX}_${SECRET}`)).toBe(true);
    expect(looksLikeApiKey("oms_broken")).toBe(true);
    expect(looksLikeApiKey("eyJhbGciOiJIUzI1NiJ9.e30.sig")).toBe(false);
  });
});

describe("scopes", () => {
  it("a read key only reads; a write key does everything", () => {
    expect(["GET", "HEAD", "get"].map((m) => scopeAllows("read", m))).toEqual([true, true, true]);
    expect(["POST", "PUT", "PATCH", "DELETE"].map((m) => scopeAllows("read", m))).toEqual([false, false, false, false]);
    expect(["GET", "POST", "PUT", "DELETE"].every((m) => scopeAllows("write", m))).toBe(true);
  });
});

describe("recording a key's last use", () => {
  const now = new Date("2026-11-20T10:00:00.000Z");
  it("writes the first use, then at most once a minute", () => {
    expect(shouldRecordUse(null, now)).toBe(true);
    expect(shouldRecordUse("2026-11-20T09:59:30.000Z", now)).toBe(false);
    expect(shouldRecordUse("2026-11-20T09:59:00.001Z", now)).toBe(false);
    expect(shouldRecordUse("2026-11-20T09:59:00.000Z", now)).toBe(true);
    expect(shouldRecordUse("2026-11-19T10:00:00.000Z", now)).toBe(true);
  });
});
