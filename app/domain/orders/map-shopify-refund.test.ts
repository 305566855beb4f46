import { describe, expect, it } from "vitest";
import { parseJsonKeepingBigInts } from "../shared/safe-json";
import { mapShopifyRefund } from "./map-shopify-refund";

const refund = (lines: string, extra = "") =>
  parseJsonKeepingBigInts(`{"id":5000000000000000900,"order_id":5000000000000000001,"created_at":"2026-11-21T10:00:00-05:00",${extra}"admin_graphql_api_id":"gid://shopify/Refund/5000000000000000900","refund_line_items":[${lines}]}`);
const line = (id: number, restock: string | null, location = "null") =>
  `{"id":500000000000000091${id},"quantity":1,"line_item_id":500000000000000001${id},"location_id":${location},${restock === null ? "" : `"restock_type":"${restock}",`}"line_item":{"id":500000000000000001${id},"admin_graphql_api_id":"gid://shopify/LineItem/500000000000000001${id}"}}`;

describe("mapShopifyRefund", () => {
  it("maps each refund line with its restock type, location and exact ids; the time in UTC", () => {
    const mapped = mapShopifyRefund(refund([line(1, "cancel"), line(2, "return", "5000000000000000777"), line(3, "no_restock")].join(",")));
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.refund).toMatchObject({ externalId: "5000000000000000900", orderExternalId: "5000000000000000001", createdAt: "2026-11-21T15:00:00.000Z" });
    expect(mapped.refund.lines).toEqual([
      { refundLineExternalId: "5000000000000000911", lineExternalId: "5000000000000000011", quantity: 1, restockType: "cancel", locationExternalId: null },
      { refundLineExternalId: "5000000000000000912", lineExternalId: "5000000000000000012", quantity: 1, restockType: "return", locationExternalId: "5000000000000000777" },
      { refundLineExternalId: "5000000000000000913", lineExternalId: "5000000000000000013", quantity: 1, restockType: "no_restock", locationExternalId: null },
    ]);
  });

  it("older payloads without restock types: `restock: true` means legacy_restock, else no_restock", () => {
    const restocked = mapShopifyRefund(refund(line(1, null), `"restock":true,`));
    expect(restocked.ok && restocked.refund.lines[0].restockType).toBe("legacy_restock");
    const kept = mapShopifyRefund(refund(line(1, null), `"restock":false,`));
    expect(kept.ok && kept.refund.lines[0].restockType).toBe("no_restock");
  });

  it("rejects an unknown restock type, naming the field", () => {
    expect(mapShopifyRefund(refund(line(1, "example string")))).toMatchObject({ ok: false, error: expect.stringMatching(/refund_line_items\.0\.restock_type/) });
  });

  it("refuses a refund line quantity beyond the limit, naming the field", () => {
    const mapped = mapShopifyRefund(refund(line(1, "return").replace(`"quantity":1`, `"quantity":1000000000000`)));
    expect(mapped).toMatchObject({ ok: false, error: expect.stringMatching(/refund_line_items\.0\.quantity: more than the limit of 1000000 units/) });
  });
});
