import { describe, expect, it } from "vitest";
import { planNotifications, type OrderFacts, type PlanInput } from "./plan";
import { afterFailure } from "./retry";

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: "o1", name: "#1001", email: "Ana@Example.com", customerName: "Ana", channelKind: "manual", redacted: false, cancelled: false, shipFromLocations: 1, backorderExpectedAt: null, ...over,
});
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  shopName: "Acme", settings: { confirmationEnabled: false, language: "en" }, events: [], orders: new Map([["o1", order()]]), shipments: new Map(), optedOut: new Set(), ...over,
});
const ev = (action: string, data: Record<string, unknown> = {}) => ({ action, orderId: "o1", data });

describe("which notices the audit trail calls for", () => {
  it("a confirmation only when the merchant turned it on", () => {
    expect(planNotifications(input({ events: [ev("order.received")] }))).toEqual([]);
    const [d] = planNotifications(input({ events: [ev("order.received")], settings: { confirmationEnabled: true, language: "es" } }));
    expect(d).toMatchObject({ kind: "order_confirmation", key: "order_confirmation:o1", recipient: "Ana@Example.com", language: "es" });
  });

  it("a backorder notice with the expected date, or saying it is not known; once per order however often it is read", () => {
    const known = planNotifications(input({ events: [ev("order.backordered"), ev("order.backordered")], orders: new Map([["o1", order({ backorderExpectedAt: "2026-12-24T00:00:00.000Z" })]]) }));
    expect(known).toHaveLength(1);
    expect(known[0]).toMatchObject({ kind: "backorder", key: "backordered:o1", values: { expectedDate: "2026-12-24" } });
    expect(planNotifications(input({ events: [ev("order.backordered")], settings: { confirmationEnabled: false, language: "es" } }))[0].values.expectedDate).toBe("aún sin fecha");
  });

  it("a split notice only for an order shipping from more than one location", () => {
    expect(planNotifications(input({ events: [ev("order.routed")] }))).toEqual([]);
    const [d] = planNotifications(input({ events: [ev("order.routed")], orders: new Map([["o1", order({ shipFromLocations: 3 })]]) }));
    expect(d).toMatchObject({ kind: "split_shipment", key: "split:o1", values: { parcelCount: "3" } });
  });

  it("a shipped notice for a shipment the app recorded, with the carrier's tracking link; none for Shopify's own fulfillments", () => {
    const shipments = new Map([["s1", { id: "s1", orderId: "o1", carrier: "UPS", trackingNumber: "1ZABC" }]]);
    const [d] = planNotifications(input({ events: [ev("order.fulfillment_recorded", { fulfillment: "shipment:s1" })], shipments }));
    expect(d).toMatchObject({ kind: "shipped", key: "shipped:s1", values: { carrier: "UPS", trackingNumber: "1ZABC", trackingUrl: "https://www.ups.com/track?tracknum=1ZABC" } });
    expect(planNotifications(input({ events: [ev("order.fulfillment_recorded", { fulfillment: "4455" })], shipments }))).toEqual([]);
    expect(planNotifications(input({ events: [ev("order.fulfillment_recorded", { fulfillment: "shipment:s1" })], shipments, orders: new Map([["o1", order({ channelKind: "shopify" })]]) }))).toEqual([]);
  });

  it("nothing without a usable e-mail, for a redacted or cancelled order; opted-out customers get only essential notices", () => {
    const events = [ev("order.received"), ev("order.backordered"), ev("order.routed")];
    const settings = { confirmationEnabled: true, language: "en" as const };
    for (const o of [order({ email: null }), order({ email: "not an address" }), order({ email: "a@b.c\r\nBcc: x@y.z" }), order({ redacted: true }), order({ cancelled: true })]) {
      expect(planNotifications(input({ events, settings, orders: new Map([["o1", { ...o, shipFromLocations: 2 }]]) }))).toEqual([]);
    }
    const all = planNotifications(input({ events, settings, orders: new Map([["o1", order({ shipFromLocations: 2 })]]) }));
    expect(all.map((d) => d.kind)).toEqual(["order_confirmation", "backorder", "split_shipment"]);
    const optedOut = planNotifications(input({ events, settings, orders: new Map([["o1", order({ shipFromLocations: 2 })]]), optedOut: new Set(["ana@example.com"]) }));
    expect(optedOut.map((d) => d.kind)).toEqual(["backorder"]);
  });
});

describe("sending retries", () => {
  it("back off doubling up to the cap, then fail for good; a bad attempt number is refused", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    const policy = { baseMs: 1_000, maxMs: 5_000, maxAttempts: 5 };
    expect(afterFailure(1, now, policy)).toEqual({ status: "pending", nextAttemptAt: new Date(now.getTime() + 1_000) });
    expect(afterFailure(3, now, policy)).toEqual({ status: "pending", nextAttemptAt: new Date(now.getTime() + 4_000) });
    expect(afterFailure(4, now, policy)).toEqual({ status: "pending", nextAttemptAt: new Date(now.getTime() + 5_000) });
    expect(afterFailure(5, now, policy)).toEqual({ status: "failed" });
    expect(() => afterFailure(0, now, policy)).toThrow("attempts must be a positive integer");
  });
});
