import { describe, expect, it } from "vitest";
import type { WarehouseLayout } from "./layout";
import { assignBins, checkPackScan, checkPickScan, checkShortPick, closeProblems, routeOrder, unpickPlan, unverified, type BinSupply, type UnpickLine } from "./picking";
import { pickRoute } from "./pick-route";

const layout: WarehouseLayout = { aisles: 4, aisleLengthM: 20, aisleSpacingM: 3, depot: { aisle: 0, yM: 0 } };
const supply = (code: string, aisle: number, yM: number, variantId: string, available: number, extra: Partial<BinSupply> = {}): BinSupply => ({ binId: code, code, kind: "storage", aisle, yM, variantId, lot: "", expiresAt: null, available, ...extra });

describe("assignBins", () => {
  it("takes a bin holding the whole need, nearest the depot, and never gives the same units twice", () => {
    const supplies = [supply("FAR", 3, 18, "v1", 10), supply("NEAR", 0, 2, "v1", 3), supply("MID", 1, 5, "v1", 10)];
    const { lines, missing } = assignBins(layout, [{ orderId: "o1", orderLineId: "l1", variantId: "v1", quantity: 4 }, { orderId: "o2", orderLineId: "l2", variantId: "v1", quantity: 8 }], supplies);
    expect(missing).toEqual([]);
    expect(lines.map((l) => [l.orderLineId, l.code, l.quantity])).toEqual([["l1", "MID", 4], ["l2", "FAR", 8]]);
  });

  it("splits over bins when none holds it all, prefers storage over receiving and the earliest expiry, and reports what no bin holds", () => {
    const supplies = [
      supply("RECEIVING", 0, 0, "v1", 5, { kind: "receiving" }), supply("A", 0, 4, "v1", 2, { lot: "L2", expiresAt: "2027-05-01" }), supply("B", 2, 4, "v1", 2, { lot: "L1", expiresAt: "2027-01-01" }),
      supply("STAGING", 0, 0, "v1", 50, { kind: "staging" }),
    ];
    const { lines, missing } = assignBins(layout, [{ orderId: "o1", orderLineId: "l1", variantId: "v1", quantity: 7 }, { orderId: "o2", orderLineId: "l2", variantId: "v1", quantity: 5 }], supplies);
    expect(lines.map((l) => [l.orderLineId, l.code, l.lot, l.quantity])).toEqual([["l1", "B", "L1", 2], ["l1", "A", "L2", 2], ["l1", "RECEIVING", "", 3], ["l2", "RECEIVING", "", 2]]);
    expect(missing).toEqual([{ orderId: "o2", orderLineId: "l2", variantId: "v1", quantity: 3 }]);
  });
});

describe("routeOrder", () => {
  it("orders the lines as the optimal route visits their bins, lines at one bin together", () => {
    const lines = [{ id: "x", aisle: 3, yM: 10 }, { id: "y", aisle: 0, yM: 5 }, { id: "z", aisle: 3, yM: 10 }, { id: "w", aisle: 1, yM: 15 }];
    const { route, lines: ordered } = routeOrder(layout, lines);
    expect(route.lengthM).toBeCloseTo(pickRoute(layout, lines).lengthM);
    expect(route.exact).toBe(true);
    expect(ordered.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    const ids = ordered.map((l) => l.id);
    expect(Math.abs(ids.indexOf("x") - ids.indexOf("z"))).toBe(1);
    expect(new Set(ids)).toEqual(new Set(["x", "y", "z", "w"]));
    expect(ordered.map((l) => `${l.aisle}:${l.yM}`)).toEqual(route.sequence.map((s) => `${s.aisle}:${s.yM}`));
  });
});

describe("pick scans", () => {
  const line = { binCode: "A01-02-1-L", sku: "TEE-M", barcode: "0123456789012", quantity: 3, picked: 0, short: 0, status: "open" };

  it("takes the right bin and SKU (any case, or the barcode), all that is left by default", () => {
    expect(checkPickScan(line, { bin: "a01-02-1-l", code: "tee-m" })).toEqual({ ok: true, quantity: 3 });
    expect(checkPickScan(line, { bin: "A01-02-1-L", code: "0123456789012", quantity: 2 })).toEqual({ ok: true, quantity: 2 });
  });

  it("refuses the wrong bin, the wrong SKU, an over-pick and a closed line, each with a clear message", () => {
    expect(checkPickScan(line, { bin: "A01-03-1-L", code: "TEE-M" })).toMatchObject({ ok: false, code: "PICK.WRONG_BIN", message: "Wrong bin: you scanned A01-03-1-L, but this pick is in A01-02-1-L. Nothing was picked." });
    expect(checkPickScan(line, { bin: "A01-02-1-L", code: "CAP" })).toMatchObject({ ok: false, code: "PICK.WRONG_SKU" });
    expect(checkPickScan({ ...line, picked: 2 }, { bin: "A01-02-1-L", code: "TEE-M", quantity: 2 })).toMatchObject({ ok: false, code: "PICK.OVER_PICK", message: expect.stringContaining("needs 1 more") });
    expect(checkPickScan({ ...line, picked: 3, status: "picked" }, { bin: "A01-02-1-L", code: "TEE-M" })).toMatchObject({ ok: false, code: "PICK.LINE_CLOSED" });
    expect(checkPickScan(line, { bin: "A01-02-1-L", code: "TEE-M", quantity: 0 })).toMatchObject({ ok: false, code: "PICK.BAD_QUANTITY" });
  });

  it("a short pick is fewer units than left, in the right bin", () => {
    expect(checkShortPick({ ...line, picked: 1 }, { bin: "A01-02-1-L", found: 1 })).toEqual({ ok: true, found: 1, short: 1 });
    expect(checkShortPick(line, { bin: "A01-02-1-L", found: 0 })).toEqual({ ok: true, found: 0, short: 3 });
    expect(checkShortPick(line, { bin: "A01-02-1-L", found: 3 })).toMatchObject({ ok: false, code: "PICK.NOT_SHORT" });
    expect(checkShortPick(line, { bin: "B", found: 0 })).toMatchObject({ ok: false, code: "PICK.WRONG_BIN" });
    expect(checkShortPick(line, { bin: "A01-02-1-L", found: -1 })).toMatchObject({ ok: false, code: "PICK.BAD_QUANTITY" });
  });
});

describe("packing", () => {
  const items = [{ variantId: "v1", sku: "TEE-M", picked: 2, verified: 1 }, { variantId: "v2", sku: "CAP", picked: 1, verified: 1 }];

  it("verifies picked items only, never more than were picked, and lists what is left", () => {
    expect(checkPackScan(items, { code: "tee-m" })).toEqual({ ok: true, variantId: "v1", quantity: 1 });
    expect(checkPackScan(items, { code: "MUG" })).toMatchObject({ ok: false, code: "PACK.WRONG_ITEM", message: expect.stringContaining("TEE-M ×2, CAP ×1") });
    expect(checkPackScan(items, { code: "CAP" })).toMatchObject({ ok: false, code: "PACK.TOO_MANY" });
    expect(unverified(items)).toEqual([{ sku: "TEE-M", missing: 1 }]);
    expect(unverified([{ ...items[0], verified: 2 }])).toEqual([]);
  });

  it("lists every problem of a package close", () => {
    expect(closeProblems({ carrier: "UPS", trackingNumber: "1Z999", packages: [{ weightGrams: 800, lengthCm: 30 }] })).toEqual([]);
    expect(closeProblems({ carrier: "", trackingNumber: "no way!", packages: [{ weightGrams: 0, heightCm: -1 }] })).toEqual([
      "carrier: 1–60 characters", "trackingNumber: 1–64 letters, digits, spaces or . _ / -", "packages[0].weightGrams: a number of grams above 0 and at most 1,000,000", "packages[0].heightCm: a number of centimetres above 0 and at most 1,000",
    ]);
    expect(closeProblems({ carrier: "UPS", trackingNumber: "1Z", packages: [] })).toEqual(["packages: 1 to 50 packages"]);
    expect(closeProblems(null)).toHaveLength(1);
  });
});

describe("unpickPlan (an order cancelled while picking or packed)", () => {
  const line = (id: string, status: string, picked: number, extra: Partial<UnpickLine> = {}): UnpickLine => ({ id, taskId: "t1", locationId: "reno", variantId: "v1", lot: "", picked, status, shipped: false, ...extra });

  it("closes open lines and lines whose picked units wait in staging, and puts those units back per location, SKU and lot", () => {
    const plan = unpickPlan([
      line("open-none", "open", 0), line("open-some", "open", 2), line("done", "picked", 3), line("short-some", "short", 1, { variantId: "v2" }),
      line("short-none", "short", 0), line("other-lot", "picked", 1, { lot: "L2" }), line("dallas", "picked", 4, { locationId: "dallas" }),
    ]);
    expect(plan.close.map((l) => l.id)).toEqual(["open-none", "open-some", "done", "short-some", "other-lot", "dallas"]);
    expect(plan.putBack).toEqual([
      { locationId: "reno", variantId: "v1", lot: "", quantity: 5 }, { locationId: "reno", variantId: "v2", lot: "", quantity: 1 },
      { locationId: "reno", variantId: "v1", lot: "L2", quantity: 1 }, { locationId: "dallas", variantId: "v1", lot: "", quantity: 4 },
    ]);
  });

  it("plans nothing for lines cancelled already (a second cancel) or whose pack shipped (the units left)", () => {
    expect(unpickPlan([line("a", "cancelled", 2), line("b", "cancelled", 0), line("c", "picked", 3, { shipped: true }), line("d", "open", 0, { shipped: true })])).toEqual({ close: [], putBack: [] });
  });

  it("refuses a pick or short pick on a cancelled line", () => {
    const cancelled = { binCode: "A01", sku: "SKU", quantity: 3, picked: 1, short: 0, status: "cancelled" };
    expect(checkPickScan(cancelled, { bin: "A01", code: "SKU" })).toMatchObject({ ok: false, code: "PICK.LINE_CANCELLED" });
    expect(checkShortPick(cancelled, { bin: "A01", found: 0 })).toMatchObject({ ok: false, code: "PICK.LINE_CANCELLED" });
  });
});
