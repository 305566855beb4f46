import { describe, expect, it } from "vitest";
import { AUTOMATION_ACTIONS, planAutomation, WEBHOOK_TOPICS, type OrderFacts } from "./events";
import { legacyId, parseBufferProperties, parseFlowActionRequest, parseRerouteProperties } from "./flow-actions";

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: "o1", name: "#1001", channelKind: "shopify", externalId: "5550001", status: "routed", currency: "USD",
  locations: [{ id: "l1", name: "Newark" }], landedCostMinor: 1234, unitsBackordered: 0, ...over,
});
const event = (id: string, action: string, data: Record<string, unknown> = {}, subjectId = "o1") => ({ id, action, subjectId, data, createdAt: "2026-12-05T10:00:00.000Z" });

describe("the automation plan", () => {
  it("gives one delivery per subscribed endpoint and topic (none from before it was registered), and one Flow trigger per event, keyed by what they are", () => {
    const planned = planAutomation({
      shopDomain: "s.myshopify.com",
      events: [event("e1", "order.received"), event("e2", "order.backordered", { unitsOrdered: 3, unitsReserved: 1, unitsBackordered: 2 })],
      orders: new Map([["o1", order({ status: "backordered" })]]),
      endpoints: [{ id: "w1", topics: ["order.created", "order.backordered"], since: "2026-12-05T09:00:00.000Z" }, { id: "w2", topics: ["order.backordered"], since: "2026-12-05T09:00:00.000Z" }, { id: "w3", topics: ["order.backordered"], since: "2026-12-05T10:00:00.001Z" }],
    });
    expect(planned.map((p) => p.key).sort()).toEqual([
      "flow:order-backordered:e2", "webhook:w1:e1.order.created", "webhook:w1:e2.order.backordered", "webhook:w2:e2.order.backordered",
    ]);
    const backordered = planned.find((p) => p.key === "webhook:w2:e2.order.backordered")!;
    expect(backordered).toMatchObject({ lane: "webhook:w2", resource: "order:o1", eventId: "e2.order.backordered", rank: 4 });
    expect(backordered.payload).toEqual({
      id: "e2.order.backordered", topic: "order.backordered", occurredAt: "2026-12-05T10:00:00.000Z", shop: "s.myshopify.com",
      data: { order: { id: "o1", name: "#1001", channel: "shopify", externalId: "5550001", status: "backordered" }, unitsOrdered: 3, unitsReserved: 1, unitsBackordered: 2 },
    });
    expect(planned.find((p) => p.target === "flow")!.payload).toEqual({ order_id: 5550001, "Order name": "#1001", "OMS order id": "o1", "Units backordered": 2 });
  });

  it("is the same plan when the events are read again (the outbox keys make the second read add nothing)", () => {
    const input = { shopDomain: "s", events: [event("e3", "order.routed")], orders: new Map([["o1", order()]]), endpoints: [{ id: "w1", topics: [...WEBHOOK_TOPICS], since: "2026-01-01T00:00:00.000Z" }] };
    expect(planAutomation(input)).toEqual(planAutomation(input));
  });

  it("calls a routed order split only when it ships from more than one location, with the landed cost", () => {
    const one = planAutomation({ shopDomain: "s", events: [event("e4", "order.routed")], orders: new Map([["o1", order()]]), endpoints: [] });
    expect(one.map((p) => p.topic)).toEqual(["order-routed"]);
    const two = planAutomation({ shopDomain: "s", events: [event("e4", "order.routed")], orders: new Map([["o1", order({ locations: [{ id: "l1", name: "Newark" }, { id: "l2", name: "Reno" }] })]]), endpoints: [] });
    expect(two.map((p) => p.topic).sort()).toEqual(["order-routed", "order-split"]);
    expect(two[0].payload).toMatchObject({ "Location names": "Newark, Reno", "Location count": 2, "Landed cost": 12.34, Currency: "USD" });
  });

  it("sends Flow nothing for an order Flow cannot look up (not a Shopify order), and nothing for an order that is gone", () => {
    const amazon = planAutomation({ shopDomain: "s", events: [event("e5", "order.backordered")], orders: new Map([["o1", order({ channelKind: "amazon", externalId: "111-222" })]]), endpoints: [{ id: "w1", topics: ["order.backordered"], since: "2026-01-01T00:00:00.000Z" }] });
    expect(amazon.map((p) => p.target)).toEqual(["webhook"]);
    expect(planAutomation({ shopDomain: "s", events: [event("e6", "order.received", {}, "gone")], orders: new Map(), endpoints: [{ id: "w1", topics: ["order.created"], since: "2026-01-01T00:00:00.000Z" }] })).toEqual([]);
  });

  it("reads exactly the actions its sources name", () => {
    expect([...AUTOMATION_ACTIONS].sort()).toEqual(["order.backorder_filled", "order.backordered", "order.cancelled", "order.edited", "order.fulfillment_cancelled", "order.fulfillment_recorded", "order.received", "order.routed"]);
  });
});

describe("Flow action requests", () => {
  it("takes the shop from the body and the run id; refuses what is not a Flow request", () => {
    expect(parseFlowActionRequest({ shopify_domain: "A.myshopify.com", action_run_id: "r1", properties: { order_id: 1 } })).toEqual({ ok: true, value: { shopDomain: "a.myshopify.com", actionRunId: "r1", properties: { order_id: 1 } } });
    expect(parseFlowActionRequest({ action_run_id: "r1" })).toMatchObject({ ok: false, problem: "shopify_domain: required" });
    expect(parseFlowActionRequest({ shopify_domain: "evil.example.com", action_run_id: "r1" }).ok).toBe(false);
    expect(parseFlowActionRequest({ shopify_domain: "a.myshopify.com" }).ok).toBe(false);
  });

  it("reads each action's properties", () => {
    expect(legacyId("gid://shopify/Order/42", "Order")).toBe("42");
    expect(legacyId(42, "Order")).toBe("42");
    expect(legacyId("gid://shopify/Product/42", "Order")).toBeNull();
    expect(parseRerouteProperties({ order_id: "gid://shopify/Order/42", "Exclude location": " Reno ", Reason: "" })).toEqual({ ok: true, value: { shopifyOrderId: "42", excludeLocation: " Reno ", reason: null } });
    expect(parseRerouteProperties({})).toMatchObject({ ok: false });
    expect(parseBufferProperties({ Channel: "Amazon US", SKU: "", "Buffer units": "3" })).toEqual({ ok: true, value: { channel: "Amazon US", sku: null, units: 3 } });
    expect(parseBufferProperties({ Channel: "Amazon US", "Buffer units": -1 })).toMatchObject({ ok: false });
  });
});
