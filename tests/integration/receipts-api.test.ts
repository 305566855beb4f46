import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { ingestChannelOrder } from "~/.server/use-cases/ingest-channel-order";
import { action } from "~/routes/api.v1.inventory.receipts";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder } from "../support/catalog";

const SHOP = "receipts.myshopify.com";
setQueue(new InProcessQueue());
const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
const post = (body: unknown) =>
  action({ request: new Request("http://127.0.0.1:3999/api/v1/inventory/receipts", { method: "POST", headers: { Authorization: `Bearer ${token()}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" }, body: JSON.stringify(body) }), params: {}, context: {} });

let shopId: string;
beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await db().session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) } });
  await addLocation(shopId, "77", "dallas");
  await addSku(shopId, "RCV", {});
});

describe("POST /api/v1/inventory/receipts", () => {
  it("adds stock once per reference and fills the oldest backorders", async () => {
    const older = await ingestChannelOrder(SHOP, "manual", channelOrder([{ sku: "RCV", quantity: 2 }], { externalId: "r-old", placedAt: "2026-11-01T00:00:00Z" }));
    const newer = await ingestChannelOrder(SHOP, "manual", channelOrder([{ sku: "RCV", quantity: 2 }], { externalId: "r-new", placedAt: "2026-11-02T00:00:00Z" }));
    const response = await post({ reference: "PO-1001", lines: [{ sku: "RCV", location: "77", quantity: 3 }] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ reference: "PO-1001", linesApplied: 1, linesAlreadyApplied: 0, backordersFilled: [older.orderId, newer.orderId] });
    expect((await db().order.findUniqueOrThrow({ where: { id: older.orderId } })).status).toBe("reserved");
    expect((await db().order.findUniqueOrThrow({ where: { id: newer.orderId } })).status).toBe("backordered"); // 1 of 2 units
    const again = await (await post({ reference: "PO-1001", lines: [{ sku: "RCV", location: "77", quantity: 3 }] })).json();
    expect(again).toMatchObject({ linesApplied: 0, linesAlreadyApplied: 1 });
    expect((await db().inventoryLevel.findFirstOrThrow({ where: { shopId, variant: { sku: "RCV" } } })).onHand).toBe(3);
  });

  it("refuses a receipt with an unknown SKU and applies none of its lines", async () => {
    const response = await post({ reference: "PO-2", lines: [{ sku: "RCV", location: "77", quantity: 5 }, { sku: "NOPE", location: "77", quantity: 1 }] });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: "RECEIPT.UNKNOWN_SKU", message: expect.stringContaining("Line 2") });
    expect((await db().inventoryLevel.findFirstOrThrow({ where: { shopId, variant: { sku: "RCV" } } })).onHand).toBe(3);
  });

  it("validates the body", async () => {
    const response = await post({ reference: "", lines: [] });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("RECEIPT.INVALID");
  });
});
