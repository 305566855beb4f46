import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  incomingByLevel, incomingChanges, levelKey, parseExpectedAt, receiveAgainstOrder, sameOrder, transitionPurchaseOrder, validatePurchaseOrder,
  type OrderUnits, type PurchaseOrderDraft, type ReceivableOrder,
} from "./purchase-orders";

const NOW = new Date("2026-11-20T15:00:00Z");
const SKUS = new Map([["A", "var-a"], ["B", "var-b"]]);
const draft = (over: Partial<PurchaseOrderDraft> = {}): PurchaseOrderDraft => ({
  number: "PO-1", supplier: "Acme", location: "77", locationId: "loc-1", expectedAt: "2026-12-20", lines: [{ sku: "A", quantity: 12 }], ...over,
});

describe("a new purchase order", () => {
  it("is valid with a number, supplier, known location, a date from today on and known SKUs in positive whole units", () => {
    const check = validatePurchaseOrder(draft({ lines: [{ sku: "A", quantity: 12 }, { sku: "B", quantity: 1 }] }), SKUS, NOW);
    expect(check).toEqual({
      ok: true,
      order: {
        number: "PO-1", supplier: "Acme", locationId: "loc-1", expectedAt: "2026-12-20T00:00:00.000Z", status: "open",
        lines: [{ lineNumber: 1, sku: "A", variantId: "var-a", ordered: 12 }, { lineNumber: 2, sku: "B", variantId: "var-b", ordered: 1 }],
      },
    });
    expect(validatePurchaseOrder(draft({ expectedAt: "2026-11-20", status: "draft" }), SKUS, NOW)).toMatchObject({ ok: true, order: { status: "draft" } });
  });

  it("lists everything wrong at once", () => {
    const check = validatePurchaseOrder(
      { number: "PO 1/2", supplier: " ", location: "nowhere", locationId: null, expectedAt: "2026-11-19", lines: [{ sku: "A", quantity: 0 }, { sku: "NOPE", quantity: 2.5 }, { sku: "A", quantity: 3 }] },
      SKUS, NOW,
    );
    expect(check.ok).toBe(false);
    expect(!check.ok && check.errors).toEqual([
      expect.stringContaining("number:"),
      "supplier: required",
      'location: no location "nowhere" in this shop',
      "expectedAt: 2026-11-19 is in the past",
      "lines.0.quantity: a whole number of at least 1, got 0",
      'lines.1.sku: no SKU "NOPE" in this shop',
      "lines.1.quantity: a whole number of at least 1, got 2.5",
      'lines.2.sku: "A" is already on line 1 (one line per SKU)',
    ]);
    expect(validatePurchaseOrder(draft({ lines: [] }), SKUS, NOW)).toEqual({ ok: false, errors: ["lines: at least one line"] });
    expect(validatePurchaseOrder(draft({ lines: [{ sku: "A", quantity: 1_000_001 }] }), SKUS, NOW)).toEqual({ ok: false, errors: ["lines.0.quantity: more than the limit of 1000000 units on one line"] });
  });

  it("takes a calendar day or an ISO time with its zone, as UTC", () => {
    expect(parseExpectedAt("2026-12-20")).toBe("2026-12-20T00:00:00.000Z");
    expect(parseExpectedAt("2026-12-20T09:30:00+02:00")).toBe("2026-12-20T07:30:00.000Z");
    for (const bad of ["2026-02-30", "20/12/2026", "2026-12-20T09:30:00", "tomorrow", ""]) expect(parseExpectedAt(bad)).toBeNull();
  });

  it("posted again with the same content is the same order; any change makes it another", () => {
    const check = validatePurchaseOrder(draft(), SKUS, NOW);
    if (!check.ok) throw new Error("valid");
    const stored = { supplier: "Acme", locationId: "loc-1", expectedAt: "2026-12-20T00:00:00.000Z", lines: [{ variantId: "var-a", ordered: 12 }] };
    expect(sameOrder(stored, check.order)).toBe(true);
    expect(sameOrder({ ...stored, lines: [{ variantId: "var-a", ordered: 13 }] }, check.order)).toBe(false);
    expect(sameOrder({ ...stored, expectedAt: "2026-12-21T00:00:00.000Z" }, check.order)).toBe(false);
  });
});

describe("status", () => {
  it("opens a draft, cancels a draft or an open order, repeats harmlessly, and never reopens or cancels a received one", () => {
    expect(transitionPurchaseOrder("draft", "open")).toEqual({ ok: true, to: "open", changed: true });
    expect(transitionPurchaseOrder("open", "cancel")).toEqual({ ok: true, to: "cancelled", changed: true });
    expect(transitionPurchaseOrder("draft", "cancel")).toEqual({ ok: true, to: "cancelled", changed: true });
    expect(transitionPurchaseOrder("cancelled", "cancel")).toEqual({ ok: true, to: "cancelled", changed: false });
    expect(transitionPurchaseOrder("open", "open")).toEqual({ ok: true, to: "open", changed: false });
    expect(transitionPurchaseOrder("received", "cancel")).toEqual({ ok: false, reason: "is received; it cannot be cancelled" });
    expect(transitionPurchaseOrder("cancelled", "open")).toMatchObject({ ok: false });
  });
});

const order = (status: OrderUnits["status"], locationId: string, expectedAt: string, lines: [string, number, number][]): OrderUnits => ({
  status, locationId, expectedAt, lines: lines.map(([variantId, ordered, received]) => ({ variantId, ordered, received })),
});

describe("incoming", () => {
  it("is what open orders still expect per variant and location, with the earliest date of what is still to come", () => {
    const figures = incomingByLevel([
      order("open", "L1", "2026-12-20T00:00:00.000Z", [["a", 10, 4], ["b", 5, 5]]),
      order("open", "L1", "2026-12-10T00:00:00.000Z", [["a", 3, 0]]),
      order("open", "L1", "2026-12-01T00:00:00.000Z", [["a", 2, 9]]), // over-received: nothing to come, no date
      order("open", "L2", "2026-12-05T00:00:00.000Z", [["a", 1, 0]]),
      order("draft", "L1", "2026-11-25T00:00:00.000Z", [["a", 100, 0]]),
      order("cancelled", "L1", "2026-11-25T00:00:00.000Z", [["a", 100, 0]]),
      order("received", "L1", "2026-11-25T00:00:00.000Z", [["a", 100, 1]]),
    ]);
    expect(figures.get(levelKey("a", "L1"))).toEqual({ variantId: "a", locationId: "L1", incoming: 9, expectedAt: "2026-12-10T00:00:00.000Z" });
    expect(figures.get(levelKey("a", "L2"))).toMatchObject({ incoming: 1, expectedAt: "2026-12-05T00:00:00.000Z" });
    expect(figures.has(levelKey("b", "L1"))).toBe(false);
  });

  it("changes a stored level only when it differs, to the recomputed figure (a level no order expects goes to 0)", () => {
    const orders = [order("open", "L1", "2026-12-20T00:00:00.000Z", [["a", 10, 4]])];
    expect(incomingChanges([
      { variantId: "a", locationId: "L1", incoming: 6, incomingExpectedAt: "2026-12-20T00:00:00.000Z" },
      { variantId: "a", locationId: "L2", incoming: 3, incomingExpectedAt: "2026-12-01T00:00:00.000Z" },
      { variantId: "b", locationId: "L1", incoming: 0, incomingExpectedAt: null },
    ], orders)).toEqual([{ variantId: "a", locationId: "L2", from: 3, to: 0, delta: -3, expectedAt: null }]);
    expect(incomingChanges([{ variantId: "a", locationId: "L1", incoming: 6, incomingExpectedAt: "2026-12-24T00:00:00.000Z" }], orders))
      .toEqual([{ variantId: "a", locationId: "L1", from: 6, to: 6, delta: 0, expectedAt: "2026-12-20T00:00:00.000Z" }]);
  });

  it("property: never negative, and the sum of open orders' outstanding units", () => {
    const line = fc.tuple(fc.constantFrom("a", "b"), fc.nat(20), fc.nat(30));
    const po = fc.record({ status: fc.constantFrom("draft", "open", "received", "cancelled" as const), locationId: fc.constantFrom("L1", "L2"), expectedAt: fc.constantFrom("2026-12-01T00:00:00.000Z", "2026-12-09T00:00:00.000Z"), lines: fc.array(line, { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(po, { maxLength: 6 }), (pos) => {
        const orders = pos.map((p) => order(p.status, p.locationId, p.expectedAt, p.lines));
        const total = [...incomingByLevel(orders).values()].reduce((s, f) => s + f.incoming, 0);
        for (const f of incomingByLevel(orders).values()) expect(f.incoming).toBeGreaterThan(0);
        expect(total).toBe(orders.filter((o) => o.status === "open").flatMap((o) => o.lines).reduce((s, l) => s + Math.max(0, l.ordered - l.received), 0));
      }),
    );
  });
});

describe("a receipt against an order", () => {
  const po = (status: ReceivableOrder["status"] = "open"): ReceivableOrder => ({
    number: "PO-1", status, locationId: "L1",
    lines: [{ id: "pl-1", lineNumber: 1, variantId: "a", ordered: 10, received: 0 }, { id: "pl-2", lineNumber: 2, variantId: "b", ordered: 5, received: 0 }],
  });
  const r = (receiptLine: number, variantId: string, quantity: number, locationId = "L1") => ({ receiptLine, sku: variantId.toUpperCase(), variantId, locationId, quantity });

  it("raises received; the order stays open while a line still expects units", () => {
    expect(receiveAgainstOrder(po(), [r(1, "a", 4)])).toEqual({
      ok: true, counts: [{ receiptLine: 1, purchaseOrderLineId: "pl-1", quantity: 4, overReceived: 0 }], received: [{ lineId: "pl-1", received: 4 }], status: "open", completed: false,
    });
  });

  it("closes the order when every line is complete, and records more than ordered as over-receipt", () => {
    const result = receiveAgainstOrder(po(), [r(1, "a", 7), r(2, "b", 5), r(3, "a", 5)]);
    expect(result).toMatchObject({ ok: true, status: "received", completed: true, received: [{ lineId: "pl-1", received: 12 }, { lineId: "pl-2", received: 5 }] });
    expect(result.ok && result.counts.map((c) => c.overReceived)).toEqual([0, 0, 2]);
    const closed = { ...po("received"), lines: po().lines.map((l) => ({ ...l, received: l.ordered })) };
    expect(receiveAgainstOrder(closed, [r(1, "b", 1)])).toMatchObject({ ok: true, status: "received", completed: false, counts: [{ overReceived: 1 }] });
  });

  it("refuses SKUs not on the order, another location, and drafts or cancelled orders", () => {
    expect(receiveAgainstOrder(po(), [r(1, "a", 1), r(2, "z", 1), r(3, "b", 1, "L2")])).toEqual({
      ok: false, errors: ['Line 2: SKU "Z" is not on purchase order PO-1', "Line 3: purchase order PO-1 is delivered to another location"],
    });
    expect(receiveAgainstOrder(po("cancelled"), [r(1, "a", 1)])).toEqual({ ok: false, errors: ["purchase order PO-1 is cancelled"] });
    expect(receiveAgainstOrder(po("draft"), [r(1, "a", 1)])).toMatchObject({ ok: false });
  });
});
