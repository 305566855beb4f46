import path from "node:path";
import { describe, expect, it } from "vitest";
import { inFolder, isDropFileName, isShopFolderName, shopDropFolder, takenName } from "./drop-folder";

// The drop folder's names (ADR 0021): nothing read from the folder can point outside it.

describe("drop folder names", () => {
  it("takes a shop folder only when it is a domain name", () => {
    expect(isShopFolderName("acme.myshopify.com")).toBe(true);
    for (const bad of ["..", ".", "acme", "Acme.myshopify.com", "a/b.com", "a..b.com", "-a.com", "a.com/..", ""]) expect(isShopFolderName(bad), bad).toBe(false);
    expect(() => shopDropFolder("/drop", "../etc")).toThrow(/not a shop folder name/);
    expect(shopDropFolder("/drop", "acme.myshopify.com").out).toBe(path.join("/drop", "acme.myshopify.com", "out"));
  });

  it("takes a file only when it is one visible component and not an upload in progress", () => {
    expect(isDropFileName("po 1001.edi")).toBe(true);
    for (const bad of [".po.edi", "..", "a/b.edi", "a\\b.edi", "po.edi.part", "po.edi.filepart", "po.tmp", "po\u0000.edi", "po\n.edi", "x".repeat(201)]) expect(isDropFileName(bad), bad).toBe(false);
    expect(() => inFolder("/drop/in", "../../etc/passwd")).toThrow(/not a file name/);
    expect(() => inFolder("/drop/in", "..")).toThrow(/not a file name/);
    expect(inFolder("/drop/in", "po.edi")).toBe(path.join("/drop/in", "po.edi"));
  });

  it("names a taken file by when it was taken and a random part, its dropped name kept", () => {
    const at = new Date("2026-12-03T10:15:00.123Z");
    const taken = takenName("po 1001.edi", at);
    expect(taken).toMatch(/^20261203T101500123Z_[0-9a-f]{4}_po 1001\.edi$/);
    expect(isDropFileName(taken)).toBe(true);
  });
});
