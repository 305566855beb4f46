import { describe, expect, it } from "vitest";
import { AUTOMATION_ACTIONS, dispositionSummary, planAutomation, planInventoryChanges, subjectsOf, WEBHOOK_TOPICS, type OrderFacts, type SkuFacts } from "./events";
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
    expect([...AUTOMATION_ACTIONS].sort()).toEqual([
      "order.backorder_filled", "order.backordered", "order.cancelled", "order.edited", "order.fulfillment_cancelled", "order.fulfillment_held", "order.fulfillment_recorded",
      "order.fulfillment_released", "order.received", "order.routed", "pick.short", "return.received", "return.requested", "stock.below_buffer",
    ]);
  });
});

describe("return, warehouse and SKU events (ADR 0037)", () => {
  const sku: SkuFacts = { variantId: "v1", sku: "MUG-1", title: "Blue", productExternalId: "7770001", productTitle: "Mug" };
  const all = [{ id: "w1", topics: [...WEBHOOK_TOPICS], since: "2026-01-01T00:00:00.000Z" }];

  it("finds a return's order in its data, and orders it with the order's other events", () => {
    const requested = { id: "r1", action: "return.requested", subjectType: "return", subjectId: "rma1", data: { number: "R-1", orderId: "o1", units: 2, source: "portal" }, createdAt: "2026-12-05T10:00:00.000Z" };
    const received = { ...requested, id: "r2", action: "return.received", data: { number: "R-1", orderId: "o1", to: "inspected", lines: [{ returnLineId: "a", quantity: 2, disposition: "restock" }, { returnLineId: "b", quantity: 1, disposition: "scrap" }, { returnLineId: "c", quantity: 0, disposition: "scrap" }] } };
    expect(subjectsOf([requested, received])).toEqual({ orderIds: ["o1"], variantIds: [] });
    const planned = planAutomation({ shopDomain: "s", events: [requested, received], orders: new Map([["o1", order()]]), endpoints: all });
    expect(planned.map((p) => [p.key, p.resource])).toEqual([
      ["webhook:w1:r1.return.requested", "order:o1"], ["flow:return-requested:r1", "order:o1"], ["webhook:w1:r2.return.received", "order:o1"], ["flow:return-received:r2", "order:o1"],
    ]);
    expect(planned[3].payload).toEqual({ order_id: 5550001, "Order name": "#1001", "OMS order id": "o1", "Return number": "R-1", "Units received": 3, Disposition: "restock 2, scrap 1" });
    expect(planned[2].payload.data).toMatchObject({ return: { number: "R-1", status: "inspected" }, unitsReceived: 3, lines: [{ returnLineId: "a", quantity: 2, disposition: "restock" }, { returnLineId: "b", quantity: 1, disposition: "scrap" }] });
  });

  it("gives a short pick with its bin and SKU", () => {
    const short = event("p1", "pick.short", { locationId: "l1", binId: "b1", binCode: "A-01", sku: "MUG-1", shortQuantity: 2, pickLineId: "pl1" });
    const planned = planAutomation({ shopDomain: "s", events: [short], orders: new Map([["o1", order()]]), endpoints: [] });
    expect(planned[0].payload).toEqual({ order_id: 5550001, "Order name": "#1001", "OMS order id": "o1", SKU: "MUG-1", Bin: "A-01", "Short quantity": 2 });
  });

  it("gives stock under a buffer about the SKU (product_id: its Shopify product), none for a product Flow cannot look up", () => {
    const under = { id: "s1", action: "stock.below_buffer", subjectType: "variant", subjectId: "v1", data: { variantId: "v1", channelId: "c1", channelName: "Online Store", channelKind: "shopify", sellable: 2, buffer: 3, crossing: 1 }, createdAt: "2026-12-05T10:00:00.000Z" };
    expect(subjectsOf([under])).toEqual({ orderIds: [], variantIds: ["v1"] });
    const planned = planAutomation({ shopDomain: "s", events: [under], orders: new Map(), skus: new Map([["v1", sku]]), endpoints: all });
    expect(planned.map((p) => [p.key, p.resource])).toEqual([["webhook:w1:s1.stock.below_buffer", "sku:v1"], ["flow:stock-under-buffer:s1", "sku:v1"]]);
    expect(planned[1].payload).toEqual({ product_id: 7770001, SKU: "MUG-1", Channel: "Online Store", Available: 2, "Buffer units": 3 });
    const manual = planAutomation({ shopDomain: "s", events: [under], orders: new Map(), skus: new Map([["v1", { ...sku, productExternalId: "manual-1" }]]), endpoints: [] });
    expect(manual).toEqual([]);
  });

  it("gives inventory.changed per ledger entry to subscribed endpoints, ordered per SKU and location by the entry's id", () => {
    const entry = (id: number, createdAt = "2026-12-05T10:00:00.000Z") => ({ id, variantId: "v1", locationId: "l1", bucket: "reserved", delta: 1, reason: "order_reserved", refType: "order", refId: "o1", createdAt });
    const planned = planInventoryChanges({
      shopDomain: "s", entries: [entry(9), entry(10), entry(11, "2026-12-04T00:00:00.000Z")], skus: new Map([["v1", sku]]), locations: new Map([["l1", "Newark"]]),
      endpoints: [{ id: "w1", topics: ["inventory.changed"], since: "2026-12-05T00:00:00.000Z" }, { id: "w2", topics: ["order.created"], since: "2026-01-01T00:00:00.000Z" }],
    });
    expect(planned.map((p) => p.key)).toEqual(["webhook:w1:ledger-0000000000000009.inventory.changed", "webhook:w1:ledger-0000000000000010.inventory.changed"]);
    expect(planned[0].eventId < planned[1].eventId).toBe(true);
    expect(planned[0]).toMatchObject({ resource: "stock:v1:l1", lane: "webhook:w1", topic: "inventory.changed" });
    expect(planned[0].payload.data).toEqual({ ledgerEntryId: 9, sku: { variantId: "v1", sku: "MUG-1", title: "Blue", productId: "7770001", productTitle: "Mug" }, location: { id: "l1", name: "Newark" }, bucket: "reserved", delta: 1, reason: "order_reserved", ref: { type: "order", id: "o1" } });
  });

  it("sums a return's units per disposition", () => {
    expect(dispositionSummary([{ quantity: 1, disposition: "restock" }, { quantity: 2, disposition: "qc_hold" }, { quantity: 3, disposition: "restock" }])).toBe("restock 4, qc_hold 2");
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
