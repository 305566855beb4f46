import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { setChannelBuffer } from "~/.server/use-cases/read-channel-stock";
import { receiveStock } from "~/.server/use-cases/receive-stock";
import { loader } from "~/routes/app.inventory_.$sku";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryNumber, queryRow } from "../support/db-query";
import { remixRequestHandler } from "../support/remix-app";
import { BROWSER_UA, bearerArgs, statusOf } from "../support/requests";
import { addSession } from "../support/sessions";

// The SKU page: one SKU's figures per location and channel, its stock history rebuilt from the ledger, and
// the ledger itself newest first, a page at a time — within the session's shop only.

const A = "sku-page-a.myshopify.com";
const B = "sku-page-b.myshopify.com";
const SKU = "MUG-BLUE";
const APP = "http://127.0.0.1:3999";
const RECEIPTS = 55;
setQueue(new InProcessQueue()); // stock pushes and routing jobs are recorded, not run

const appKeys = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
type SkuPage = Awaited<ReturnType<typeof loader>>;
const open = async (shop: string, sku: string, search = "") => (await loader(bearerArgs(`/app/inventory/${encodeURIComponent(sku)}${search}`, mintSessionToken(appKeys, shop), { sku }))) as SkuPage;
const shopIdOf = async (domain: string) => (await queryRow<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, domain))!.id;

/** The page as a merchant's browser gets it inside Shopify admin: the server-rendered HTML. */
async function html(handle: (r: Request) => Promise<Response>, shop: string, path: string): Promise<{ status: number; body: string }> {
  const host = Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
  const url = `${APP}${path}${path.includes("?") ? "&" : "?"}${new URLSearchParams({ embedded: "1", shop, host, id_token: mintSessionToken(appKeys, shop) })}`;
  const response = await handle(new Request(url, { headers: { "User-Agent": BROWSER_UA } }));
  return { status: response.status, body: await response.text() };
}

let handle: (r: Request) => Promise<Response>;
const ids: Record<string, string> = {};
beforeAll(async () => {
  handle = await remixRequestHandler();
  for (const shop of [A, B]) {
    await ensureShop(shop);
    await addSession({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: `shpat_${shop}`, scope: "read_orders", expires: new Date(Date.now() + 86_400_000), refreshToken: "r", refreshTokenExpires: new Date(Date.now() + 30 * 86_400_000) });
  }
  const shopA = await shopIdOf(A);
  ids.reno = (await addLocation(shopA, "1", "reno")).id;
  ids.dallas = (await addLocation(shopA, "2", "dallas")).id;
  const variant = await addSku(shopA, SKU, { [ids.reno]: 10 }); // ledger row 1: seeded
  await addSku(shopA, "OTHER-SKU", { [ids.reno]: 7 }); // another SKU's movements stay off this page
  await receiveStock(shopA, { variantId: variant.id, locationId: ids.dallas, quantity: 5, reason: "received", idempotencyKey: "po-1:1", ref: { type: "receipt", id: "PO-1" } });
  for (let i = 0; i < RECEIPTS; i++) {
    await receiveStock(shopA, { variantId: variant.id, locationId: ids.reno, quantity: 1, reason: "received", idempotencyKey: `po-2:${i}`, ref: { type: "receipt", id: `PO-2-${i}` } });
  }
  ids.online = (await queryRow<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ? AND "kind" = 'shopify'`, shopA))!.id;
  await setChannelBuffer(shopA, ids.online, { buffer: { kind: "units", units: 2 } });
  ids.order = (await ingestOn(A, "manual", channelOrder([{ sku: SKU, quantity: 3 }], { city: "reno", externalId: "sku-page-1" }))).orderId; // the newest movement

  const shopB = await shopIdOf(B);
  const elsewhere = await addLocation(shopB, "1", "chicago");
  await addSku(shopB, "ONLY-IN-B", { [elsewhere.id]: 4 });
  await addSku(shopB, SKU, { [elsewhere.id]: 99 });
});

describe("the SKU page", () => {
  it("shows on hand, reserved, safety, incoming and available per location", async () => {
    const page = await open(A, SKU);
    expect(page.stock.sku).toBe(SKU);
    expect(page.stock.locations.map(({ name, onHand, reserved, safety, incoming, available }) => ({ name, onHand, reserved, safety, incoming, available }))).toEqual([
      { name: "dallas", onHand: 5, reserved: 0, safety: 0, incoming: 0, available: 5 },
      { name: "reno", onHand: 10 + RECEIPTS, reserved: 3, safety: 0, incoming: 0, available: 10 + RECEIPTS - 3 },
    ]);
  });

  it("shows each channel's available to sell with how it was reached", async () => {
    const page = await open(A, SKU);
    const online = page.stock.channels.find((c) => c.id === ids.online)!;
    expect(online).toMatchObject({ ats: 67 - 2, explanation: "67 available in 2 locations − buffer 2 (fixed buffer 2) = 65" });
    expect(page.stock.channels.map((c) => c.kind).sort()).toEqual(["manual", "shopify"]);
  });

  it("lists the ledger newest first, 50 a page, older and newer", async () => {
    const total = await queryNumber(`SELECT COUNT(*) AS "n" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "variantId" = (SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?)`, await shopIdOf(A), await shopIdOf(A), SKU);
    expect(total).toBe(1 + 1 + RECEIPTS + 1);

    const first = await open(A, SKU);
    expect(first.ledger.rows).toHaveLength(50);
    expect(first.ledger.newer).toBeNull();
    expect(first.ledger.older).not.toBeNull();
    expect(first.ledger.rows[0]).toMatchObject({ location: "reno", bucket: "reserved", delta: 3, reason: "reserved", ref: { type: "order", id: ids.order } });
    expect(first.ledger.rows[1]).toMatchObject({ location: "reno", bucket: "on_hand", delta: 1, reason: "received", ref: { type: "receipt", id: `PO-2-${RECEIPTS - 1}` } });
    expect(first.ledger.rows[2].ref).toEqual({ type: "receipt", id: `PO-2-${RECEIPTS - 2}` });

    const second = await open(A, SKU, `?before=${encodeURIComponent(first.ledger.older!)}`);
    expect(second.ledger.rows).toHaveLength(total - 50);
    expect(second.ledger.older).toBeNull();
    expect(second.ledger.newer).not.toBeNull();
    expect(second.ledger.rows.slice(-2)).toMatchObject([
      { location: "dallas", bucket: "on_hand", delta: 5, reason: "received", ref: { type: "receipt", id: "PO-1" } },
      { location: "reno", bucket: "on_hand", delta: 10, reason: "seeded", ref: null },
    ]);

    const all = [...first.ledger.rows, ...second.ledger.rows];
    expect(new Set(all.map((r) => r.id)).size).toBe(total);
    for (let i = 1; i < all.length; i++) {
      expect(all[i - 1].at >= all[i].at).toBe(true); // newest first
      if (all[i - 1].at === all[i].at) expect(all[i - 1].id).toBeGreaterThan(all[i].id);
    }

    const back = await open(A, SKU, `?after=${encodeURIComponent(second.ledger.newer!)}`);
    expect(back.ledger.rows.map((r) => r.id)).toEqual(first.ledger.rows.map((r) => r.id));
    expect(back.ledger.newer).toBeNull();
  });

  it("rebuilds stock over the last 30 days from the ledger, ending at today's figures", async () => {
    const { history } = await open(A, SKU);
    const today = new Date().toISOString().slice(0, 10);
    expect(history.total).toHaveLength(31);
    expect(history.total.at(-1)).toEqual({ day: today, onHand: 15 + RECEIPTS, available: 12 + RECEIPTS });
    expect(history.total[0]).toMatchObject({ onHand: 0, available: 0 }); // every movement happened today
    expect(history.locations.map((l) => [l.name, l.days.at(-1)])).toEqual([
      ["dallas", { day: today, onHand: 5, available: 5 }],
      ["reno", { day: today, onHand: 10 + RECEIPTS, available: 7 + RECEIPTS }],
    ]);
  });

  it("answers 404 for a SKU the shop does not have, and for another shop's SKU", async () => {
    expect(await statusOf(() => open(A, "NO-SUCH-SKU"))).toBe(404);
    expect(await statusOf(() => open(A, "ONLY-IN-B"))).toBe(404);
    expect(await statusOf(() => open(A, "x".repeat(10_000)))).toBe(404);
    const inB = await open(B, SKU); // the same SKU text in another shop is that shop's own
    expect(inB.stock.locations.map((l) => [l.name, l.onHand])).toEqual([["chicago", 99]]);
    expect(inB.ledger.rows.map((r) => [r.reason, r.delta])).toEqual([["seeded", 99]]);
  });

  it("renders on the server through the app's routes (the chart as a table there), and 404s in HTML too", async () => {
    const page = await html(handle, A, `/app/inventory/${SKU}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Stock over the last 30 days");
    expect(page.body).toContain("All locations: on hand / available");
    expect(page.body).toContain(`${15 + RECEIPTS} / ${12 + RECEIPTS}`); // today's total in the fallback table
    expect(page.body).toContain(`href="/app/orders/${ids.order}"`);
    expect(page.body).toMatch(/href="\/app\/inventory\/MUG-BLUE\?before=[^"]+"/);
    expect((await html(handle, A, "/app/inventory/ONLY-IN-B")).status).toBe(404);
  });

  it("is linked from each SKU on the Inventory list", async () => {
    const list = await html(handle, A, "/app/inventory?q=MUG");
    expect(list.status).toBe(200);
    expect(list.body).toContain(`href="/app/inventory/${SKU}"`);
    expect(list.body).not.toContain(`href="/app/inventory/OTHER-SKU"`);
  });
});
