import { describe, expect, it } from "vitest";
import { journey, journeyFacts, lookupAllowed, orderNameCandidates, PORTAL_LIMITS, sameEmail, trackingLink, windowStart, type JourneyInput } from "./journey";

const base: JourneyInput = {
  name: "#1001", status: "reserved", placedAt: "2026-12-01T10:00:00.000Z", cancelledAt: null, promisedBy: null,
  units: { ordered: 3, byStatus: { reserved: 3 }, backorderExpectedAt: null }, shipments: [],
};

describe("matching what a customer types", () => {
  it("takes an order number with or without #, and nothing else", () => {
    expect(orderNameCandidates(" #1001 ")).toEqual(["#1001", "1001"]);
    expect(orderNameCandidates("M-ABCD")).toEqual(["#M-ABCD", "M-ABCD"]);
    expect(orderNameCandidates("")).toBeNull();
    expect(orderNameCandidates("1001' OR 1=1")).toBeNull();
  });
  it("compares emails without case or surrounding spaces; no stored email matches nothing", () => {
    expect(sameEmail(" Ada@Example.com ", "ada@example.com")).toBe(true);
    expect(sameEmail("ada@example.com", "eve@example.com")).toBe(false);
    expect(sameEmail("ada@example.com", null)).toBe(false);
  });
  it("allows the limit per client and per order in a window, and refuses the next", () => {
    expect(lookupAllowed({ client: PORTAL_LIMITS.perClient, order: 1 })).toBe(true);
    expect(lookupAllowed({ client: PORTAL_LIMITS.perClient + 1, order: 1 })).toBe(false);
    expect(lookupAllowed({ client: 1, order: PORTAL_LIMITS.perOrder + 1 })).toBe(false);
    expect(windowStart(new Date("2026-12-05T12:34:56Z")).toISOString()).toBe("2026-12-05T12:00:00.000Z");
  });
});

describe("the journey", () => {
  it("a received order being prepared", () => {
    expect(journey(base)).toMatchObject({ name: "#1001", placedOn: "2026-12-01", headline: "Received: we are preparing it.", backorder: null,
      steps: [{ label: "Ordered", done: true }, { label: "Being prepared", done: true }, { label: "Shipped", done: false }, { label: "Delivered", done: false }] });
  });
  it("partly shipped, the rest on backorder with its expected date, with tracking links", () => {
    const j = journey({ ...base, status: "partially_shipped", units: { ordered: 3, byStatus: { fulfilled: 1, backordered: 2 }, backorderExpectedAt: "2026-12-12T00:00:00.000Z" },
      shipments: [{ carrier: "UPS", numbers: ["1Z999"], urls: [], shippedAt: "2026-12-02T08:00:00.000Z", units: 1 }] });
    expect(j.headline).toBe("Partly shipped: 1 of 3 items are on their way; the rest follow.");
    expect(j.steps[2]).toEqual({ label: "Partly shipped", done: true });
    expect(j.backorder).toBe("2 items are on backorder, expected around 2026-12-12: we ship them as soon as they arrive.");
    expect(j.shipments).toEqual([{ carrier: "UPS", shippedOn: "2026-12-02", units: 1, tracking: [{ number: "1Z999", url: "https://www.ups.com/track?tracknum=1Z999" }] }]);
  });
  it("cancelled", () => {
    expect(journey({ ...base, status: "cancelled", cancelledAt: "2026-12-02T00:00:00.000Z" })).toMatchObject({ headline: "This order was cancelled.", steps: [{ label: "Ordered" }, { label: "Cancelled" }], backorder: null });
  });
  it("prefers the channel's own tracking link; an unknown carrier gets none", () => {
    expect(trackingLink("Canada Post", "CP1", ["https://track.example/CP1"], 0)).toBe("https://track.example/CP1");
    expect(trackingLink("Acme Freight", "AF1", [], 0)).toBeNull();
    expect(trackingLink("FedEx Ground", "7777", [], 0)).toBe("https://www.fedex.com/fedextrack/?trknbr=7777");
  });
});

describe("the journey as facts (the customer-account extension words them in the customer's language)", () => {
  it("gives the state, units, step keys, backorder and shipments the English journey is told from", () => {
    const input: JourneyInput = { ...base, status: "partially_shipped", units: { ordered: 3, byStatus: { fulfilled: 1, backordered: 2 }, backorderExpectedAt: "2026-12-12T00:00:00.000Z" },
      shipments: [{ carrier: null, numbers: ["X1"], urls: [], shippedAt: "2026-12-02T08:00:00.000Z", units: 1 }] };
    expect(journeyFacts(input)).toEqual({
      name: "#1001", placedOn: "2026-12-01", state: "partly_shipped", units: { ordered: 3, shipped: 1, backordered: 2 },
      steps: [{ key: "ordered", done: true }, { key: "being_prepared", done: true }, { key: "partly_shipped", done: true }, { key: "delivered", done: false }],
      backorder: { units: 2, expectedOn: "2026-12-12" },
      shipments: [{ carrier: null, shippedOn: "2026-12-02", units: 1, tracking: [{ number: "X1", url: null }] }],
    });
    expect(journey(input).shipments[0].carrier).toBe("Carrier not given");
  });
  it("has no backorder for a cancelled order, and names each state", () => {
    expect(journeyFacts({ ...base, status: "cancelled", cancelledAt: "2026-12-02T00:00:00.000Z", units: { ordered: 3, byStatus: { backordered: 3 }, backorderExpectedAt: null } })).toMatchObject({ state: "cancelled", backorder: null, steps: [{ key: "ordered" }, { key: "cancelled" }] });
    expect(journeyFacts({ ...base, units: { ordered: 3, byStatus: { backordered: 1, reserved: 2 }, backorderExpectedAt: null } })).toMatchObject({ state: "waiting_for_stock", backorder: { units: 1, expectedOn: null } });
    expect(journeyFacts({ ...base, status: "delivered", units: { ordered: 3, byStatus: { fulfilled: 3 }, backorderExpectedAt: null } }).state).toBe("delivered");
    expect(journeyFacts({ ...base, status: "shipped", units: { ordered: 3, byStatus: { fulfilled: 3 }, backorderExpectedAt: null } }).state).toBe("shipped");
  });
});
