import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { action as putBuffer } from "~/routes/api.v1.channels.$id.buffer";
import { loader as getInventory } from "~/routes/api.v1.inventory";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { execute, queryRow } from "../support/db-query";
import { addSession } from "../support/sessions";

// GET /api/v1/inventory?sku= and PUT /api/v1/channels/:id/buffer: per-location figures and per-channel
// available-to-sell with the buffer's explanation; buffers set per channel and per SKU, checked, by shop.

const SHOP = "channel-stock.myshopify.com";
const OTHER = "channel-stock-other.myshopify.com";
setQueue(new InProcessQueue());
const headers = (shop: string) => ({ Authorization: `Bearer ${mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, shop)}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" });
const inventory = async (sku: string | null, shop = SHOP) => {
  const response = await getInventory({ request: new Request(`http://127.0.0.1:3999/api/v1/inventory${sku === null ? "" : `?sku=${encodeURIComponent(sku)}`}`, { headers: headers(shop) }), params: {}, context: {} });
  return { status: response.status, body: await response.json() };
};
const setBuffer = async (channelId: string, body: unknown, shop = SHOP) => {
  const response = await putBuffer({ request: new Request(`http://127.0.0.1:3999/api/v1/channels/${channelId}/buffer`, { method: "PUT", headers: headers(shop), body: JSON.stringify(body) }), params: { id: channelId }, context: {} });
  return { status: response.status, body: await response.json() };
};

let shopId: string;
let online: string;
let reno: string;
let dallas: string;
beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await ensureShop(OTHER);
  for (const shop of [SHOP, OTHER]) await addSession({ id: `offline_${shop}`, shop, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  reno = (await addLocation(shopId, "81", "reno")).id;
  dallas = (await addLocation(shopId, "82", "dallas")).id;
  await addSku(shopId, "ATS-1", { [reno]: 10, [dallas]: 5 });
  online = (await queryRow<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ? AND "kind" = 'shopify'`, shopId))!.id;
});

const channel = (body: { channels: { id: string }[] }, id: string) => body.channels.find((c) => c.id === id) as unknown as { ats: number; available: number; explanation: string; buffer: { units: number; explanation: string } };

describe("available to sell per channel, through the API", () => {
  it("per location and per channel, with how each figure was reached", async () => {
    const { status, body } = await inventory("ATS-1");
    expect(status).toBe(200);
    expect(body.locations.map((l: { name: string; onHand: number; available: number }) => [l.name, l.onHand, l.available])).toEqual([["dallas", 5, 5], ["reno", 10, 10]]);
    expect(channel(body, online)).toMatchObject({ available: 15, ats: 15, explanation: "15 available in 2 locations − buffer 0 (fixed buffer 0) = 15" });
  });

  it("a channel's buffer and a SKU's own, set and checked; a reservation lowers every channel's figure", async () => {
    expect((await setBuffer(online, { buffer: { kind: "percent", percent: 10 } })).status).toBe(200);
    expect(channel((await inventory("ATS-1")).body, online)).toMatchObject({ ats: 13, buffer: { units: 2, explanation: "10 % of 15 available = 2" } });
    await ingestOn(SHOP, "manual", channelOrder([{ sku: "ATS-1", quantity: 4 }], { placedAt: new Date(Date.now() - 30 * 60_000).toISOString() }));
    expect(channel((await inventory("ATS-1")).body, online)).toMatchObject({ available: 11, ats: 9 });

    const set = await setBuffer(online, { sku: "ATS-1", buffer: { kind: "adaptive", min: 1, max: 6, windowHours: 168 } });
    expect(set.body.config.skuBuffers["ATS-1"]).toEqual({ kind: "adaptive", min: 1, max: 6, serviceLevel: 0.95, windowHours: 168 });
    // No push lag measured yet: the adaptive buffer holds its maximum, and says so.
    expect(channel((await inventory("ATS-1")).body, online)).toMatchObject({ ats: 5, buffer: { units: 6, explanation: "no push lag measured yet for this channel: the maximum, 6" } });
  });

  it("the adaptive buffer sizes itself from the other channels' velocity and Shopify's measured push lag", async () => {
    // 20 confirmed pushes of this shop, 2 to 40 minutes from change to confirmed (p95: 38 min).
    const variant = (await queryRow<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = 'ATS-1'`, shopId))!.id;
    for (let i = 1; i <= 20; i++) {
      const created = new Date(Date.now() - 3_600_000 * 3);
      await execute(`INSERT INTO "StockPush" ("id","shopId","variantId","locationId","idempotencyKey","delta","reason","status","createdAt","sentAt") VALUES (?,?,?,?,?,1,'received','sent',?,?)`,
        `lag-${i}`, shopId, variant, reno, `lag-test:${i}`, created, new Date(created.getTime() + i * 2 * 60_000));
    }
    const { body } = await inventory("ATS-1");
    const figure = channel(body, online);
    // The manual channel sold 4 units in the last 168 hours (0.024/h, all in one hour: σ 0.31/h); p95 lag 38 min:
    // 0.015 expected, and in 95 % of cases none at all; the SKU's minimum of 1 holds.
    expect(figure.buffer.explanation).toBe("the other channels sell 0.02/h (σ 0.31/h, last 168 h); during this channel's p95 lag of 38 min that is 0.02 expected, at most 0 in 95 % of cases → buffer 1 (raised to the minimum 1)");
    expect(figure.ats).toBe(10);
  });

  it("refuses a buffer that is not one, an unknown channel or SKU, and another shop's channel", async () => {
    const wrong = await setBuffer(online, { buffer: { kind: "adaptive", min: 9, max: 2 } });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: "CHANNEL.BUFFER_INVALID", message: "buffer.min: min must not exceed max" } } });
    expect((await setBuffer(online, { buffer: { kind: "percent", percent: 101 } })).status).toBe(400);
    expect((await setBuffer(online, { buffer: null })).status).toBe(400);
    expect((await setBuffer("no-such-channel", { buffer: { kind: "units", units: 1 } })).status).toBe(404);
    expect((await setBuffer(online, { buffer: { kind: "units", units: 1 } }, OTHER)).status).toBe(404); // not theirs
    expect((await inventory("NOPE")).status).toBe(404);
    expect((await inventory(null)).status).toBe(400);
    expect((await inventory("ATS-1", OTHER)).status).toBe(404);
    // Nothing of the refused changes was kept.
    expect(channel((await inventory("ATS-1")).body, online).buffer.units).toBe(1);
  });
});
