import { describe, expect, it } from "vitest";
import { decodeX12 } from "./x12-text";

describe("decodeX12", () => {
  it("reads valid UTF-8 as UTF-8 and drops its byte-order mark", () => {
    expect(decodeX12(new TextEncoder().encode("ISA*\u00e9"))).toEqual({ ok: true, text: "ISA*\u00e9", encoding: "utf-8" });
    expect(decodeX12(Uint8Array.from([0xef, 0xbb, 0xbf, 0x49]))).toEqual({ ok: true, text: "I", encoding: "utf-8" });
    expect(decodeX12("\ufeffISA")).toEqual({ ok: true, text: "ISA", encoding: "utf-8" });
  });

  it("reads anything else as Latin-1, byte for byte (mixed encodings and control bytes included)", () => {
    const bytes = Uint8Array.from([0x49, 0xe9, 0xc3, 0xa9, 0x00, 0xff, 0x1d]);
    expect(decodeX12(bytes)).toEqual({ ok: true, text: "I\u00e9\u00c3\u00a9\u0000\u00ff\u001d", encoding: "latin1" });
    const big = new Uint8Array(50_000).fill(0xe9);
    const read = decodeX12(big);
    expect(read.ok && read.text.length).toBe(50_000);
  });

  it("names a UTF-16 file instead of reading it", () => {
    expect(decodeX12(Uint8Array.from([0xfe, 0xff, 0x00, 0x49]))).toEqual({ ok: false, error: expect.stringContaining("UTF-16") });
  });
});
