import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EVENT_SOURCES, planAutomation, type OrderFacts, type SkuFacts } from "~/domain/integrations/events";
import { FLOW_ACTIONS, parseFlowActionProperties } from "~/domain/integrations/flow-actions";

// The Flow extensions (ADR 0031) and the code agree: every trigger the event list names has its TOML, and the payload
// the app sends carries exactly the TOML's fields (order_id for the order_reference, then each key); every action
// has its TOML, its runtime_url is the app's /flow/actions/<handle> over https, and the properties its fields declare
// are the ones its parser reads. The field keys are ones Shopify CLI accepts (letters and spaces for triggers).

const DIR = path.resolve("extensions");
const tomlOf = (name: string) => readFileSync(path.join(DIR, name, "shopify.extension.toml"), "utf8");
const value = (toml: string, key: string) => new RegExp(`^${key} = "([^"]*)"$`, "m").exec(toml)?.[1];
const fields = (toml: string) =>
  toml.split("[[settings.fields]]").slice(1).map((block) => ({ type: value(block, "type")!, key: value(block, "key"), required: /^required = true$/m.test(block) }));

const order: OrderFacts = { id: "o1", name: "#1001", channelKind: "shopify", externalId: "5550001", status: "routed", currency: "USD", locations: [{ id: "l1", name: "Newark" }, { id: "l2", name: "Reno" }], landedCostMinor: 990, unitsBackordered: 2 };
const variant: SkuFacts = { variantId: "v1", sku: "MUG-1", title: "Mug", productExternalId: "7770001", productTitle: "Mug" };
/** An audit event's data with every field some source reads. */
const data = {
  unitsOrdered: 3, unitsReserved: 1, unitsBackordered: 2, orderId: "o1", number: "R-1001", units: 2, lines: [{ returnLineId: "rl1", quantity: 2, disposition: "restock" }],
  locationId: "l1", binId: "b1", binCode: "A-01-1", sku: "MUG-1", shortQuantity: 1, pickLineId: "pl1", variantId: "v1", channelId: "c1", channelName: "Online Store", sellable: 2, buffer: 3, crossing: 1,
};
/** The Flow payload the app sends for this trigger. */
const flowPayloadOf = (handle: string) => {
  const source = EVENT_SOURCES.find((s) => s.flowHandle === handle)!;
  const planned = planAutomation({ shopDomain: "s", events: [{ id: "e1", action: source.action, subjectId: "o1", data, createdAt: "2026-12-05T10:00:00.000Z" }], orders: new Map([["o1", order]]), skus: new Map([["v1", variant]]), endpoints: [] });
  return planned.find((p) => p.topic === handle)!.payload;
};

describe("Flow extensions", () => {
  it("has a trigger TOML for every trigger the events fire, and the payload carries exactly its fields", () => {
    const handles = [...new Set(EVENT_SOURCES.map((s) => s.flowHandle).filter((h): h is string => Boolean(h)))];
    expect(readdirSync(DIR).filter((d) => d.startsWith("flow-trigger-")).sort()).toEqual(handles.map((h) => `flow-trigger-${h}`).sort());
    for (const handle of handles) {
      const toml = tomlOf(`flow-trigger-${handle}`);
      expect(value(toml, "type")).toBe("flow_trigger");
      expect(value(toml, "handle")).toBe(handle);
      const declared = fields(toml);
      expect(declared.filter((f) => f.key !== undefined).every((f) => /^[a-zA-Z\s]*$/.test(f.key!))).toBe(true);
      const payload = flowPayloadOf(handle);
      const expected = declared.map((f) => (f.type === "order_reference" ? "order_id" : f.type === "product_reference" ? "product_id" : f.key!));
      expect(Object.keys(payload).sort()).toEqual(expected.sort());
    }
  });

  it("has an action TOML for every action the app serves, calling its route, with the fields its parser reads", () => {
    expect(readdirSync(DIR).filter((d) => d.startsWith("flow-action-")).sort()).toEqual(FLOW_ACTIONS.map((h) => `flow-action-${h}`).sort());
    for (const handle of FLOW_ACTIONS) {
      const toml = tomlOf(`flow-action-${handle}`);
      expect(value(toml, "type")).toBe("flow_action");
      expect(value(toml, "handle")).toBe(handle);
      expect(value(toml, "runtime_url")).toMatch(new RegExp(`^https://[^/]+/flow/actions/${handle}$`));
      const declared = fields(toml);
      expect(declared.filter((f) => f.type !== "order_reference").every((f) => f.key && value(toml.split("[[settings.fields]]").find((b) => b.includes(`key = "${f.key}"`))!, "name"))).toBe(true);
      const sample = Object.fromEntries(declared.map((f) => [f.type === "order_reference" ? "order_id" : f.key!, f.type === "number_integer" ? 2 : f.type === "order_reference" ? 42 : "x"]));
      const parsed = parseFlowActionProperties(handle, sample);
      expect(parsed.ok, `${handle}: ${parsed.ok ? "" : parsed.problem}`).toBe(true);
      // every required field is needed by the parser
      for (const f of declared.filter((d) => d.required)) {
        const { [f.type === "order_reference" ? "order_id" : f.key!]: _gone, ...rest } = sample;
        expect(parseFlowActionProperties(handle, rest).ok).toBe(false);
      }
    }
  });
});
