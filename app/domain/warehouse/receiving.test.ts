import { describe, expect, it } from "vitest";
import { lineReport, matchScan, receivingAccuracy } from "./receiving";

describe("a scan", () => {
  const lines = [{ lineNumber: 1, sku: "TEE-RED", barcode: "0123456789012" }, { lineNumber: 2, sku: "tee-blue", barcode: null }];
  it("matches a line by SKU (any case) or barcode", () => {
    expect(matchScan(lines, "TEE-RED")?.lineNumber).toBe(1);
    expect(matchScan(lines, " TEE-BLUE ")?.lineNumber).toBe(2);
    expect(matchScan(lines, "0123456789012")?.lineNumber).toBe(1);
    expect(matchScan(lines, "NOPE")).toBeNull();
    expect(matchScan(lines, "")).toBeNull();
  });
});

describe("receiving accuracy", () => {
  it("reports each line as expected, over, short, damaged or not received", () => {
    expect(lineReport({ lineNumber: 1, sku: "A", ordered: 5, good: 5, damaged: 0 })).toMatchObject({ outcome: "as_expected", over: 0, short: 0 });
    expect(lineReport({ lineNumber: 1, sku: "A", ordered: 5, good: 7, damaged: 0 })).toMatchObject({ outcome: "over", over: 2 });
    expect(lineReport({ lineNumber: 1, sku: "A", ordered: 5, good: 3, damaged: 0 })).toMatchObject({ outcome: "short", short: 2 });
    expect(lineReport({ lineNumber: 1, sku: "A", ordered: 5, good: 4, damaged: 1 })).toMatchObject({ outcome: "damaged", short: 1 });
    expect(lineReport({ lineNumber: 1, sku: "A", ordered: 5, good: 0, damaged: 0 })).toMatchObject({ outcome: "not_received", short: 5 });
  });
  it("counts lines received as expected over lines, and matched units over the larger of ordered and arrived", () => {
    const acc = receivingAccuracy([
      { lineNumber: 1, sku: "A", ordered: 10, good: 10, damaged: 0 },
      { lineNumber: 2, sku: "B", ordered: 10, good: 12, damaged: 0 },
      { lineNumber: 3, sku: "C", ordered: 10, good: 8, damaged: 1 },
      { lineNumber: 4, sku: "D", ordered: 10, good: 10, damaged: 0 },
    ]);
    expect(acc).toEqual({ lines: 4, linesAsExpected: 2, lineAccuracy: 0.5, unitsOrdered: 40, unitsGood: 40, unitsDamaged: 1, unitAccuracy: 38 / 42 });
    expect(receivingAccuracy([])).toMatchObject({ lineAccuracy: 1, unitAccuracy: 1 });
  });
});
