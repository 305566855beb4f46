import { describe, expect, it } from "vitest";
import { parseJsonKeepingBigInts } from "../shared/safe-json";
import { mapShopifyFulfillment } from "./map-shopify-fulfillment";

const body = (over: Record<string, string> = {}) =>
  `{"id":${over.id ?? "5000000000000000123"},"order_id":5000000000000000001,"status":"${over.status ?? "success"}","location_id":${over.location ?? "5000000000000000777"},` +
  `"admin_graphql_api_id":"gid://shopify/Fulfillment/${over.id ?? "5000000000000000123"}","line_items":[` +
  `{"id":5000000000000000011,"admin_graphql_api_id":"gid://shopify/LineItem/5000000000000000011","quantity":2,"sku":"A"},` +
  `{"id":5000000000000000012,"admin_graphql_api_id":"gid://shopify/LineItem/5000000000000000012","quantity":0,"sku":"B"}]}`;

describe("mapShopifyFulfillment", () => {
  it("keeps 64-bit ids exact and drops lines with nothing shipped", () => {
    const mapped = mapShopifyFulfillment(parseJsonKeepingBigInts(body()));
    expect(mapped).toEqual({
      ok: true,
      fulfillment: {
        externalId: "5000000000000000123", orderExternalId: "5000000000000000001", status: "success", standing: true,
        locationExternalId: "5000000000000000777", lines: [{ lineExternalId: "5000000000000000011", quantity: 2, sku: "A" }],
        tracking: null, createdAt: null,
      },
    });
  });

  it("keeps the carrier and tracking (plural fields first, http links only), and when it was made", () => {
    const payload = { id: 1, status: "success", line_items: [{ id: 2, quantity: 1 }], created_at: "2026-12-05T10:00:00-05:00", tracking_company: " UPS ", tracking_number: "1ZOLD",
      tracking_numbers: ["1ZA", "1ZB", "1ZA"], tracking_urls: ["https://ups.example/1ZA", "javascript:alert(1)"] };
    const mapped = mapShopifyFulfillment(payload);
    expect(mapped.ok && mapped.fulfillment).toMatchObject({ tracking: { company: "UPS", numbers: ["1ZA", "1ZB"], urls: ["https://ups.example/1ZA"] }, createdAt: "2026-12-05T15:00:00.000Z" });
    const singular = mapShopifyFulfillment({ ...payload, tracking_numbers: [], tracking_urls: null, tracking_url: "http://t.example/x" });
    expect(singular.ok && singular.fulfillment.tracking).toEqual({ company: "UPS", numbers: ["1ZOLD"], urls: ["http://t.example/x"] });
  });

  it("a cancelled, failed or errored fulfillment no longer stands", () => {
    for (const status of ["cancelled", "failure", "error"]) {
      const mapped = mapShopifyFulfillment(parseJsonKeepingBigInts(body({ status })));
      expect(mapped.ok && mapped.fulfillment.standing).toBe(false);
    }
    const pending = mapShopifyFulfillment(parseJsonKeepingBigInts(body({ status: "pending", location: "null" })));
    expect(pending.ok && pending.fulfillment).toMatchObject({ standing: true, locationExternalId: null });
  });

  it("takes ids from the gids when the bare numbers lost precision (Shopify's docs samples)", () => {
    const mapped = mapShopifyFulfillment({ id: 123456, status: "pending", order_id: 820982911946154500, admin_graphql_api_id: "gid://shopify/Fulfillment/123456", line_items: [{ id: 487817672276298560, quantity: 1, admin_graphql_api_id: "gid://shopify/LineItem/487817672276298554" }] });
    expect(mapped.ok && mapped.fulfillment.lines[0].lineExternalId).toBe("487817672276298554");
  });

  it("rejects an unknown status or a missing line list, naming the field", () => {
    expect(mapShopifyFulfillment(parseJsonKeepingBigInts(body({ status: "shipped-ish" })))).toMatchObject({ ok: false, error: expect.stringMatching(/^status: /) });
    expect(mapShopifyFulfillment({ id: 1, status: "success" })).toMatchObject({ ok: false, error: expect.stringMatching(/line_items/) });
  });

  it("refuses a shipped quantity beyond the limit, naming the field", () => {
    const mapped = mapShopifyFulfillment(parseJsonKeepingBigInts(body().replace(`"quantity":2`, `"quantity":1000000000000`)));
    expect(mapped).toMatchObject({ ok: false, error: expect.stringMatching(/line_items\.0\.quantity: more than the limit of 1000000 units/) });
  });
});
