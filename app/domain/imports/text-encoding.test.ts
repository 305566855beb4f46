import { describe, expect, it } from "vitest";
import { decodeText } from "./text-encoding";

const bytes = (...parts: (string | number[])[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));
const decoded = (b: Uint8Array, declared?: string) => {
  const d = decodeText(b, declared);
  if (!d.ok) throw new Error(d.error);
  return d.decoded;
};

describe("decodeText", () => {
  it("a byte-order mark decides: UTF-8 (dropped), UTF-16 LE and BE", () => {
    expect(decoded(bytes([0xef, 0xbb, 0xbf], "é"))).toMatchObject({ text: "é", encoding: "utf-8", invalidLines: [] });
    expect(decoded(Uint8Array.from([0xff, 0xfe, 0xe9, 0x00, 0x0a, 0x00]))).toMatchObject({ text: "é\n", encoding: "utf-16le" });
    expect(decoded(Uint8Array.from([0xfe, 0xff, 0x00, 0xe9]))).toMatchObject({ text: "é", encoding: "utf-16be" });
  });

  it("a declared charset is used (Amazon's Cp1252, Shift_JIS); one we cannot read is said so", () => {
    expect(decoded(Uint8Array.from([0xe9]), "Cp1252")).toMatchObject({ text: "é", encoding: "windows-1252" });
    expect(decoded(Uint8Array.from([0x82, 0xa0]), "Shift_JIS")).toMatchObject({ text: "あ", encoding: "shift_jis" });
    expect(decodeText(Uint8Array.from([0x41]), "klingon")).toEqual({ ok: false, error: 'the declared charset "klingon" is not one we can read' });
  });

  it("UTF-8 when valid; Windows-1252 when no byte is UTF-8; mixed: the lines with stray bytes, by number (CRLF, LF, CR)", () => {
    expect(decoded(bytes("a\nné\n"))).toMatchObject({ encoding: "utf-8", invalidLines: [], note: null });
    expect(decoded(bytes("a\r\n", [0x6e, 0xe9], "\n"))).toMatchObject({ text: "a\r\nné\n", encoding: "windows-1252" });
    const mixed = decoded(bytes("é\r\nok\r", [0xe9], "\nok\n", [0xff, 0xfe, 0x41], "\n"));
    expect(mixed).toMatchObject({ encoding: "utf-8", invalidLines: [3, 5] });
    expect(mixed.note).toMatch(/mixes UTF-8/);
  });
});
