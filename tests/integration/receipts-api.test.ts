import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { action } from "~/routes/api.v1.inventory.receipts";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryRow } from "../support/db-query";
import { addSession } from "../support/sessions";

const SHOP = "receipts.myshopify.com";
setQueue(new InProcessQueue());
const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
const post = (body: unknown) =>
  action({ request: new Request("http://127.0.0.1:3999/api/v1/inventory/receipts", { method: "POST", headers: { Authorization: `Bearer ${token()}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" }, body: JSON.stringify(body) }), params: {}, context: {} });

let shopId: string;
const orderStatus = async (orderId: string) => (await queryRow<{ status: string }>(`SELECT "status" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shopId, orderId))?.status;
const onHandOfRcv = async () =>
  (await queryRow<{ onHand: number }>(`SELECT i."onHand" AS "onHand" FROM "InventoryLevel" i JOIN "Variant" v ON v."id" = i."variantId" WHERE i."shopId" = ? AND v."sku" = 'RCV'`, shopId))?.onHand;
beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  await addLocation(shopId, "77", "dallas");
  await addSku(shopId, "RCV", {});
});

describe("POST /api/v1/inventory/receipts", () => {
  it("adds stock once per reference and fills the oldest backorders", async () => {
    const older = await ingestOn(SHOP, "manual", channelOrder([{ sku: "RCV", quantity: 2 }], { externalId: "r-old", placedAt: "2026-11-01T00:00:00Z" }));
    const newer = await ingestOn(SHOP, "manual", channelOrder([{ sku: "RCV", quantity: 2 }], { externalId: "r-new", placedAt: "2026-11-02T00:00:00Z" }));
    const response = await post({ reference: "PO-1001", lines: [{ sku: "RCV", location: "77", quantity: 3 }] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ reference: "PO-1001", linesApplied: 1, linesAlreadyApplied: 0, backordersFilled: [older.orderId, newer.orderId] });
    expect(await orderStatus(older.orderId)).toBe("reserved");
    expect(await orderStatus(newer.orderId)).toBe("backordered"); // 1 of 2 units
    const again = await (await post({ reference: "PO-1001", lines: [{ sku: "RCV", location: "77", quantity: 3 }] })).json();
    expect(again).toMatchObject({ linesApplied: 0, linesAlreadyApplied: 1 });
    expect(await onHandOfRcv()).toBe(3);
  });

  it("refuses a receipt with an unknown SKU and applies none of its lines", async () => {
    const response = await post({ reference: "PO-2", lines: [{ sku: "RCV", location: "77", quantity: 5 }, { sku: "NOPE", location: "77", quantity: 1 }] });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: "RECEIPT.UNKNOWN_SKU", message: expect.stringContaining("Line 2") });
    expect(await onHandOfRcv()).toBe(3);
  });

  it("validates the body", async () => {
    const response = await post({ reference: "", lines: [] });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("RECEIPT.INVALID");
  });
});
