import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { updateChannelSettings } from "~/.server/use-cases/read-channel-stock";
import { markChannelStock } from "~/.server/use-cases/sync-channel-stock";
import { loader as getInventory } from "~/routes/api.v1.inventory";
import { action as postReceipt } from "~/routes/api.v1.inventory.receipts";
import { action as cancelAction } from "~/routes/api.v1.purchase-orders.$number.cancel";
import { action as openAction } from "~/routes/api.v1.purchase-orders.$number.open";
import { action as createAction, loader as listLoader } from "~/routes/api.v1.purchase-orders";
import { loader as pageLoader } from "~/routes/app.purchase-orders";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku } from "../support/catalog";
import { execute, queryNumber, queryRow } from "../support/db-query";
import { bearerArgs } from "../support/requests";
import { addSession } from "../support/sessions";

// Purchase orders through the API (issue 11): an open order's units are its location's incoming, with the date
// they are expected; a receipt against it moves them from incoming to on hand once however often it is posted;
// cancelling takes what is still to come off incoming; a channel selling pre-orders shows incoming and promises
// the earliest date. Bad input is refused whole, and no shop sees another's orders.

const SHOP = "purchase-orders.myshopify.com";
const OTHER = "purchase-orders-other.myshopify.com";
const idle = new InProcessQueue(); // enqueued jobs do not run: the test drives the channel marks itself
setQueue(idle);
const headers = (shop: string) => ({ Authorization: `Bearer ${mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, shop)}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" });
const url = (path: string) => `http://127.0.0.1:3999/api/v1/${path}`;
const answer = async (response: Response) => ({ status: response.status, body: await response.json() });
const create = async (body: unknown, shop = SHOP) => answer(await createAction({ request: new Request(url("purchase-orders"), { method: "POST", headers: headers(shop), body: JSON.stringify(body) }), params: {}, context: {} }));
const list = async (query = "", shop = SHOP) => answer(await listLoader({ request: new Request(url(`purchase-orders${query}`), { headers: headers(shop) }), params: {}, context: {} }));
const statusChange = async (action: typeof cancelAction, verb: string, number: string, shop = SHOP) =>
  answer(await action({ request: new Request(url(`purchase-orders/${number}/${verb}`), { method: "POST", headers: headers(shop) }), params: { number }, context: {} }));
const cancel = (number: string, shop = SHOP) => statusChange(cancelAction, "cancel", number, shop);
const open = (number: string, shop = SHOP) => statusChange(openAction, "open", number, shop);
const receipt = async (body: unknown, shop = SHOP) => answer(await postReceipt({ request: new Request(url("inventory/receipts"), { method: "POST", headers: headers(shop), body: JSON.stringify(body) }), params: {}, context: {} }));
const inventory = async (sku: string) => answer(await getInventory({ request: new Request(url(`inventory?sku=${encodeURIComponent(sku)}`), { headers: headers(SHOP) }), params: {}, context: {} }));

const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const SOON = day(10);
const LATER = day(30);

let shopId: string;
let reno: string;
let dallas: string;
let onlineChannel: string;
const variants: Record<string, string> = {};
const level = async (sku: string, locationId = reno) =>
  (await queryRow<{ onHand: number; incoming: number; incomingExpectedAt: string | null }>(
    `SELECT "onHand","incoming","incomingExpectedAt" FROM "InventoryLevel" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ?`, shopId, variants[sku], locationId,
  )) ?? { onHand: 0, incoming: 0, incomingExpectedAt: null };
const incomingLedger = (sku: string, locationId = reno) =>
  queryNumber(`SELECT SUM("delta") FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "variantId" = ? AND "locationId" = ? AND "bucket" = 'incoming'`, shopId, variants[sku], locationId);
const order = async (number: string) => (await list(`?limit=200`)).body.purchaseOrders.find((p: { number: string }) => p.number === number);

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  const otherId = (await ensureShop(OTHER)).id;
  for (const shop of [SHOP, OTHER]) await addSession({ id: `offline_${shop}`, shop, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  reno = (await addLocation(shopId, "91", "reno")).id;
  dallas = (await addLocation(shopId, "92", "dallas")).id;
  variants["PO-A"] = (await addSku(shopId, "PO-A", { [reno]: 5 })).id;
  variants["PO-B"] = (await addSku(shopId, "PO-B")).id;
  variants["PO-C"] = (await addSku(shopId, "PO-C")).id;
  await addLocation(otherId, "91", "reno");
  await addSku(otherId, "PO-A");
  onlineChannel = (await queryRow<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ? AND "kind" = 'shopify'`, shopId))!.id;
});

describe("purchase orders and incoming stock", () => {
  it("an open order puts its units on its location's incoming with the date expected; posted again it is the same order", async () => {
    const po = { number: "PO-1001", supplier: "Acme Textiles", location: "91", expectedAt: LATER, lines: [{ sku: "PO-A", quantity: 12 }, { sku: "PO-B", quantity: 4 }] };
    const created = await create(po);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      created: true,
      purchaseOrder: {
        number: "PO-1001", supplier: "Acme Textiles", status: "open", location: { id: reno, name: "reno" }, expectedAt: `${LATER}T00:00:00.000Z`,
        lines: [{ lineNumber: 1, sku: "PO-A", ordered: 12, received: 0, outstanding: 12, overReceived: 0 }, { lineNumber: 2, sku: "PO-B", ordered: 4, received: 0, outstanding: 4, overReceived: 0 }],
      },
    });
    expect(await level("PO-A")).toEqual({ onHand: 5, incoming: 12, incomingExpectedAt: `${LATER}T00:00:00.000Z` });
    expect(await level("PO-B")).toMatchObject({ incoming: 4 });
    expect(await level("PO-A", dallas)).toMatchObject({ incoming: 0 });

    const again = await create(po);
    expect(again).toMatchObject({ status: 200, body: { created: false, purchaseOrder: { number: "PO-1001", status: "open" } } });
    expect(await level("PO-A")).toMatchObject({ incoming: 12 });
    const reused = await create({ ...po, lines: [{ sku: "PO-A", quantity: 13 }] });
    expect(reused).toMatchObject({ status: 409, body: { error: { code: "PURCHASE_ORDER.NUMBER_TAKEN" } } });

    // A second order for the same SKU and place, sooner, named by its Shopify location gid: incoming adds up, the earliest date wins.
    expect((await create({ number: "PO-1002", supplier: "Acme Textiles", location: "gid://shopify/Location/91", expectedAt: SOON, lines: [{ sku: "PO-A", quantity: 3 }] })).status).toBe(201);
    expect(await level("PO-A")).toEqual({ onHand: 5, incoming: 15, incomingExpectedAt: `${SOON}T00:00:00.000Z` });
    expect(await incomingLedger("PO-A")).toBe(15); // one ledger: incoming's entries add up to the level
  });

  it("a draft is not incoming until it is opened", async () => {
    expect((await create({ number: "PO-1003", supplier: "Bolt & Co", location: "dallas", expectedAt: SOON, status: "draft", lines: [{ sku: "PO-C", quantity: 9 }] })).body).toMatchObject({ purchaseOrder: { status: "draft", location: { id: dallas } } });
    expect(await level("PO-C", dallas)).toMatchObject({ incoming: 0 });
    expect(await open("PO-1003")).toMatchObject({ status: 200, body: { changed: true, purchaseOrder: { status: "open" } } });
    expect(await level("PO-C", dallas)).toMatchObject({ incoming: 9 });
    expect(await open("PO-1003")).toMatchObject({ status: 200, body: { changed: false } });
    expect(await level("PO-C", dallas)).toMatchObject({ incoming: 9 });
  });

  it("a channel selling pre-orders shows incoming with its promise date, and a change of incoming marks it (and only it)", async () => {
    await updateChannelSettings(shopId, onlineChannel, { locationIds: null, preorders: true, buffer: { kind: "units", units: 0 } });
    const { body } = await inventory("PO-A");
    const online = body.channels.find((c: { id: string }) => c.id === onlineChannel);
    expect(online).toMatchObject({ available: 5, incoming: 15, incomingExpectedAt: `${SOON}T00:00:00.000Z`, ats: 20 });
    expect(online.explanation).toBe(`5 available in 2 locations + 15 incoming (pre-orders, expected ${SOON}) − buffer 0 (fixed buffer 0) = 20`);
    for (const other of body.channels.filter((c: { id: string }) => c.id !== onlineChannel)) expect(other).toMatchObject({ incoming: 0, incomingExpectedAt: null, ats: 5 });
    expect(body.locations.find((l: { id: string }) => l.id === reno)).toMatchObject({ incoming: 15, incomingExpectedAt: `${SOON}T00:00:00.000Z` });

    // Only the ledger marks channels: an order opened for PO-B marks it on the pre-order channel…
    const mark = async () => (await queryRow<{ dirtyAt: string | null }>(`SELECT "dirtyAt" FROM "ChannelStock" WHERE "shopId" = ? AND "channelId" = ? AND "variantId" = ?`, shopId, onlineChannel, variants["PO-B"]))?.dirtyAt ?? null;
    await markChannelStock(shopId);
    await execute(`UPDATE "ChannelStock" SET "dirtyAt" = NULL WHERE "shopId" = ?`, shopId);
    await create({ number: "PO-1004", supplier: "Acme Textiles", location: reno, expectedAt: LATER, lines: [{ sku: "PO-B", quantity: 1 }] });
    await markChannelStock(shopId);
    expect(await mark()).not.toBeNull();
    // …and not on a channel that does not sell pre-orders (incoming is not in its figure).
    await updateChannelSettings(shopId, onlineChannel, { locationIds: null, preorders: false, buffer: { kind: "units", units: 0 } });
    await markChannelStock(shopId);
    await execute(`UPDATE "ChannelStock" SET "dirtyAt" = NULL WHERE "shopId" = ?`, shopId);
    expect((await cancel("PO-1004")).status).toBe(200);
    await markChannelStock(shopId);
    expect(await mark()).toBeNull();
    await updateChannelSettings(shopId, onlineChannel, { locationIds: null, preorders: true, buffer: { kind: "units", units: 0 } });
  });

  it("a receipt against an order moves units from incoming to on hand, once however often it is posted, and closes it when complete", async () => {
    const first = await receipt({ reference: "RCV-PO-1", purchaseOrder: "PO-1001", lines: [{ sku: "PO-A", quantity: 7 }] });
    expect(first).toMatchObject({ status: 200, body: { linesApplied: 1, purchaseOrder: { number: "PO-1001", status: "open", completed: false, overReceived: 0 } } });
    expect(await level("PO-A")).toMatchObject({ onHand: 12, incoming: 8 });
    const replay = await receipt({ reference: "RCV-PO-1", purchaseOrder: "PO-1001", lines: [{ sku: "PO-A", quantity: 7 }] });
    expect(replay).toMatchObject({ status: 200, body: { linesApplied: 0, linesAlreadyApplied: 1 } });
    expect(await level("PO-A")).toMatchObject({ onHand: 12, incoming: 8 });
    expect((await order("PO-1001")).lines[0]).toMatchObject({ received: 7, outstanding: 5 });
    // The same reference counted against no order (or another) is another document: refused, nothing applied.
    expect(await receipt({ reference: "RCV-PO-1", lines: [{ sku: "PO-A", location: "91", quantity: 7 }] })).toMatchObject({ status: 409, body: { error: { code: "RECEIPT.REFERENCE_REUSED" } } });

    // The rest, one unit more than ordered of PO-A: the order is received, the extra unit recorded.
    const rest = await receipt({ reference: "RCV-PO-2", purchaseOrder: "PO-1001", lines: [{ sku: "PO-A", location: "91", quantity: 6 }, { sku: "PO-B", quantity: 4 }] });
    expect(rest).toMatchObject({ status: 200, body: { linesApplied: 2, purchaseOrder: { status: "received", completed: true, overReceived: 1 } } });
    expect(await level("PO-A")).toEqual({ onHand: 18, incoming: 3, incomingExpectedAt: `${SOON}T00:00:00.000Z` }); // PO-1002's 3 remain
    expect(await level("PO-B")).toMatchObject({ onHand: 4, incoming: 0, incomingExpectedAt: null });
    expect((await order("PO-1001")).lines).toEqual([
      { lineNumber: 1, sku: "PO-A", ordered: 12, received: 13, outstanding: 0, overReceived: 1 },
      { lineNumber: 2, sku: "PO-B", ordered: 4, received: 4, outstanding: 0, overReceived: 0 },
    ]);
    expect(await incomingLedger("PO-A")).toBe(3);
    expect(await incomingLedger("PO-B")).toBe(0);
  });

  it("refuses a receipt that does not fit its order, and applies none of it", async () => {
    const before = await level("PO-A");
    expect(await receipt({ reference: "RCV-BAD-1", purchaseOrder: "PO-9999", lines: [{ sku: "PO-A", quantity: 1 }] })).toMatchObject({ status: 400, body: { error: { code: "RECEIPT.UNKNOWN_PURCHASE_ORDER" } } });
    const offOrder = await receipt({ reference: "RCV-BAD-2", purchaseOrder: "PO-1002", lines: [{ sku: "PO-A", quantity: 1 }, { sku: "PO-B", quantity: 1 }, { sku: "PO-A", location: "92", quantity: 1 }] });
    expect(offOrder).toMatchObject({ status: 400, body: { error: { code: "RECEIPT.NOT_ON_PURCHASE_ORDER" } } });
    expect(offOrder.body.error.message).toContain('Line 2: SKU "PO-B" is not on purchase order PO-1002');
    expect(offOrder.body.error.message).toContain("Line 3: purchase order PO-1002 is delivered to another location");
    expect(await receipt({ reference: "RCV-BAD-3", lines: [{ sku: "PO-A", quantity: 1 }] })).toMatchObject({ status: 400, body: { error: { code: "RECEIPT.INVALID" } } });
    expect(await level("PO-A")).toEqual(before);
    expect(await queryNumber(`SELECT COUNT(*) FROM "InventoryReceipt" WHERE "shopId" = ? AND "reference" LIKE 'RCV-BAD-%'`, shopId)).toBe(0);
  });

  it("cancelling takes what is still to come off incoming; a received order cannot be cancelled or received against when cancelled", async () => {
    const cancelled = await cancel("PO-1002");
    expect(cancelled).toMatchObject({ status: 200, body: { changed: true, purchaseOrder: { status: "cancelled" } } });
    expect(await level("PO-A")).toMatchObject({ incoming: 0, incomingExpectedAt: null });
    expect(await cancel("PO-1002")).toMatchObject({ status: 200, body: { changed: false } });
    expect(await cancel("PO-1001")).toMatchObject({ status: 409, body: { error: { code: "PURCHASE_ORDER.STATUS", message: "Purchase order PO-1001 is received; it cannot be cancelled" } } });
    expect(await cancel("PO-NOPE")).toMatchObject({ status: 404 });
    expect(await receipt({ reference: "RCV-LATE", purchaseOrder: "PO-1002", lines: [{ sku: "PO-A", quantity: 3 }] })).toMatchObject({ status: 409, body: { error: { code: "RECEIPT.PURCHASE_ORDER_NOT_OPEN" } } });
    expect(await incomingLedger("PO-A")).toBe(0);

    const { body } = await inventory("PO-A");
    expect(body.channels.find((c: { id: string }) => c.id === onlineChannel)).toMatchObject({ incoming: 0, incomingExpectedAt: null, explanation: expect.stringContaining("+ 0 incoming (pre-orders) −") });
  });

  it("lists orders by status, newest first, a page at a time", async () => {
    expect((await list("?status=open")).body.purchaseOrders.map((p: { number: string }) => p.number)).toEqual(["PO-1003"]);
    expect((await list("?status=cancelled")).body.purchaseOrders.map((p: { number: string }) => p.number)).toEqual(["PO-1004", "PO-1002"]);
    const page = await list("?limit=2");
    expect(page.body.purchaseOrders.map((p: { number: string }) => p.number)).toEqual(["PO-1004", "PO-1003"]);
    const next = await list(`?limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body).toMatchObject({ purchaseOrders: [{ number: "PO-1002" }, { number: "PO-1001" }], nextCursor: null });
    expect(await list("?status=lost")).toMatchObject({ status: 400, body: { error: { code: "PURCHASE_ORDER.QUERY_INVALID" } } });
    // The admin page lists the same, filtered the same way.
    const token = mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
    const page2 = (await pageLoader(bearerArgs("/app/purchase-orders?status=open", token))) as Awaited<ReturnType<typeof pageLoader>>;
    expect(page2).toMatchObject({ status: "open", purchaseOrders: [{ number: "PO-1003", location: { name: "dallas" }, lines: [{ sku: "PO-C", outstanding: 9 }] }], nextCursor: null });
  });

  it("refuses a bad order whole, saying everything wrong, and stores nothing", async () => {
    const bad = await create({ number: "PO 2/1", supplier: "", location: "atlantis", expectedAt: "2020-01-01", lines: [{ sku: "PO-A", quantity: 0 }, { sku: "NOPE", quantity: 1.5 }, { sku: "PO-A", quantity: 2 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("PURCHASE_ORDER.INVALID");
    for (const problem of ["number:", "supplier: required", 'location: no location "atlantis"', "expectedAt: 2020-01-01 is in the past", "lines.0.quantity", 'lines.1.sku: no SKU "NOPE"', "lines.1.quantity", 'lines.2.sku: "PO-A" is already on line 1']) {
      expect(bad.body.error.message).toContain(problem);
    }
    expect(bad.body.error.details.errors).toHaveLength(8);
    expect(await create({ number: "PO-2002", supplier: "Acme", location: "91", expectedAt: SOON, lines: [] })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining("lines: at least one line") } } });
    expect(await create({ number: "PO-2003", supplier: "Acme", location: "91", expectedAt: "next week", lines: [{ sku: "PO-A", quantity: "12" }], notes: "x" })).toMatchObject({ status: 400, body: { error: { code: "PURCHASE_ORDER.INVALID" } } });
    expect(await queryNumber(`SELECT COUNT(*) FROM "PurchaseOrder" WHERE "shopId" = ? AND "number" IN ('PO 2/1','PO-2002','PO-2003')`, shopId)).toBe(0);
    expect(await level("PO-A")).toMatchObject({ incoming: 0 });
  });

  it("at once: two orders for one level add up, and one receipt posted twice counts once", async () => {
    const po = (number: string, quantity: number) => create({ number, supplier: "Race", location: dallas, expectedAt: LATER, lines: [{ sku: "PO-C", quantity }] });
    const [a, b] = await Promise.all([po("PO-3001", 4), po("PO-3002", 6)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(await level("PO-C", dallas)).toMatchObject({ incoming: 9 + 4 + 6 });
    const post = () => receipt({ reference: "RCV-RACE", purchaseOrder: "PO-3001", lines: [{ sku: "PO-C", quantity: 4 }] });
    const answers = await Promise.all([post(), post()]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(answers.map((r) => r.body.linesApplied).sort()).toEqual([0, 1]);
    expect(await level("PO-C", dallas)).toMatchObject({ onHand: 4, incoming: 9 + 6 });
    expect((await order("PO-3001")).lines[0]).toMatchObject({ received: 4 });
    expect((await order("PO-3001")).status).toBe("received");
    expect(await incomingLedger("PO-C", dallas)).toBe(15);
  });

  it("another shop never sees the orders, and may use the same numbers for its own", async () => {
    expect((await list("", OTHER)).body).toEqual({ purchaseOrders: [], nextCursor: null });
    expect(await cancel("PO-1003", OTHER)).toMatchObject({ status: 404 });
    expect(await receipt({ reference: "RCV-X", purchaseOrder: "PO-1003", lines: [{ sku: "PO-A", quantity: 1 }] }, OTHER)).toMatchObject({ status: 400, body: { error: { code: "RECEIPT.UNKNOWN_PURCHASE_ORDER" } } });
    // Another shop's location id is no location of this one.
    expect((await create({ number: "PO-1001", supplier: "Other", location: reno, expectedAt: SOON, lines: [{ sku: "PO-A", quantity: 2 }] }, OTHER)).status).toBe(400);
    const own = await create({ number: "PO-1001", supplier: "Other", location: "reno", expectedAt: SOON, lines: [{ sku: "PO-A", quantity: 2 }] }, OTHER);
    expect(own).toMatchObject({ status: 201, body: { purchaseOrder: { supplier: "Other", status: "open" } } });
    expect((await order("PO-1001")).supplier).toBe("Acme Textiles");
    expect(await level("PO-C", dallas)).toMatchObject({ incoming: 15 });
  });
});
