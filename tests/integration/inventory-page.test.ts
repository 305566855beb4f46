import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { setChannelBuffer } from "~/.server/use-cases/read-channel-stock";
import { loader } from "~/routes/app.inventory";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryRow } from "../support/db-query";
import { bearerArgs } from "../support/requests";
import { addSession } from "../support/sessions";

// The Inventory page: SKUs searched and paged (more than a page of them), figures per location, and available
// to sell per channel with how it was reached.

const SHOP = "inventory-page.myshopify.com";
setQueue(new InProcessQueue());
const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
const open = async (search = "") => (await loader(bearerArgs(`/app/inventory${search}`, token()))) as Awaited<ReturnType<typeof loader>>;

let online: string;
beforeAll(async () => {
  const shopId = (await ensureShop(SHOP)).id;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  const reno = (await addLocation(shopId, "71", "reno")).id;
  for (let i = 0; i < 60; i++) await addSku(shopId, `INV-${String(i).padStart(2, "0")}`, { [reno]: i });
  online = (await queryRow<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ? AND "kind" = 'shopify'`, shopId))!.id;
  await setChannelBuffer(shopId, online, { buffer: { kind: "units", units: 2 } });
  await ingestOn(SHOP, "manual", channelOrder([{ sku: "INV-07", quantity: 3 }]));
});

describe("Inventory page", () => {
  it("pages past the first 50 SKUs", async () => {
    const first = await open();
    expect(first.rows).toHaveLength(50);
    expect(first.hasNext).toBe(true);
    const second = await open("?page=2");
    expect(second.rows.map((r) => r.sku)).toEqual(Array.from({ length: 10 }, (_, i) => `INV-${50 + i}`));
    expect(second.hasNext).toBe(false);
  });

  it("searches by SKU, and shows each channel's available to sell after its buffer, explained", async () => {
    const { rows, channels } = await open("?q=inv-07");
    expect(rows.map((r) => r.sku)).toEqual(["INV-07"]);
    expect(channels.map((c) => c.kind).sort()).toEqual(["manual", "shopify"]);
    expect(rows[0].ats[online]).toEqual({ ats: 2, explanation: "4 available in 1 location − buffer 2 (fixed buffer 2) = 2", push: { quantity: null, at: null, lagMs: null, waitingSince: expect.any(String), error: null } }); // the buffer change marked it: waiting to be sent // 7 on hand, 3 reserved
    expect((await open("?q=nothing-like-it")).rows).toEqual([]);
  });
});
