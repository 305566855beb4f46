import { beforeAll, describe, expect, it } from "vitest";
import { upsertLocation } from "./catalog";
import { database } from "./database";
import { newId, sqlTime } from "./ids";
import { latestDecisionsOfOrders, listOrders, orderWithLines } from "./orders";
import { defaultChannel, ensureShop } from "./shops";

// The Orders page's list on the data-access port (SQLite and PostgreSQL): newest first, keyset pages that
// neither skip nor repeat an order when several share a placedAt, filters, and nothing of another shop.

const A = "orders-list-a.myshopify.com";
const B = "orders-list-b.myshopify.com";
const ids: Record<string, string> = {};
const orderIds: string[] = []; // as inserted: order i placed at minute floor(i / 3) (three-way ties)

async function addOrder(shopId: string, channelId: string, i: number, status: string, lines: { locationId: string | null; status: string; quantity: number }[]) {
  const id = newId();
  const q = database();
  await q.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO "Order" ("id","shopId","channelId","externalId","name","status","currency","totalMinor","placedAt","customerName","shipCity") VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
      id, shopId, channelId, `ext-${i}`, `#${1000 + i}`, status, "USD", 1000 + i, sqlTime(new Date(Date.UTC(2026, 0, 1, 0, Math.floor(i / 3)))), `Customer ${i}`, "Dallas",
    );
    for (const [n, line] of lines.entries()) {
      const lineId = newId();
      await tx.run(`INSERT INTO "OrderLine" ("id","shopId","orderId","externalId","sku","title","quantity","priceMinor","createdAt") VALUES (?,?,?,?,?,?,?,?,?)`, lineId, shopId, id, `line-${n}`, `SKU-${n}`, `Item ${n}`, line.quantity, 500, sqlTime(new Date(Date.UTC(2026, 0, 1, 0, 0, n))));
      await tx.run(`INSERT INTO "Allocation" ("id","shopId","orderLineId","locationId","quantity","status") VALUES (?,?,?,?,?,?)`, newId(), shopId, lineId, line.locationId, line.quantity, line.status);
    }
  });
  return id;
}

beforeAll(async () => {
  const a = await ensureShop(A);
  const b = await ensureShop(B);
  ids.shopA = a.id;
  ids.shopB = b.id;
  const q = database();
  ids.manual = (await defaultChannel(q, a.id, "manual"))!.id;
  ids.shopify = (await defaultChannel(q, a.id, "shopify"))!.id;
  ids.dallas = (await q.transaction((tx) => upsertLocation(tx, a.id, { externalId: "1", name: "Dallas", active: true }))).id;
  ids.reno = (await q.transaction((tx) => upsertLocation(tx, a.id, { externalId: "2", name: "Reno", active: true }))).id;
  for (let i = 0; i < 11; i++) {
    const channel = i % 4 === 0 ? ids.shopify : ids.manual;
    const status = i % 2 === 0 ? "reserved" : "shipped";
    // Reno ships orders 2 and 7; order 5 was at Reno but released there (it does not ship from Reno).
    const reno = i === 2 || i === 7 ? "reserved" : i === 5 ? "released" : null;
    orderIds.push(await addOrder(a.id, channel, i, status, [{ locationId: ids.dallas, status: "reserved", quantity: 1 }, ...(reno ? [{ locationId: ids.reno, status: reno, quantity: 2 }] : [])]));
  }
  ids.backordered = await addOrder(a.id, ids.manual, 11, "backordered", [{ locationId: null, status: "backordered", quantity: 3 }]);
  orderIds.push(ids.backordered);
  ids.otherShop = await addOrder(b.id, (await defaultChannel(q, b.id, "manual"))!.id, 99, "reserved", [{ locationId: null, status: "backordered", quantity: 1 }]);
});

/** Newest first as the page promises: placedAt descending, then id descending. */
const expected = () => [...orderIds].reverse().sort((x, y) => {
  const ix = orderIds.indexOf(x);
  const iy = orderIds.indexOf(y);
  return Math.floor(iy / 3) - Math.floor(ix / 3) || (x < y ? 1 : x > y ? -1 : 0);
});

describe("listOrders", () => {
  it("pages newest first by keyset, each order exactly once, ties on placedAt included", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listOrders(database(), ids.shopA, { take: 2, cursor });
      seen.push(...result.orders.map((o) => o.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(expected());
    expect(seen).toHaveLength(12);
  });

  it("filters by channel kind, status, external id and the location that ships", async () => {
    const q = database();
    const shopify = await listOrders(q, ids.shopA, { channelKind: "shopify" });
    expect(shopify.orders.map((o) => orderIds.indexOf(o.id))).toEqual([8, 4, 0]);
    expect(shopify.orders.every((o) => o.channel.kind === "shopify" && o.channel.name === "Online Store")).toBe(true);
    expect((await listOrders(q, ids.shopA, { channelKind: "amazon" })).orders).toEqual([]);
    expect((await listOrders(q, ids.shopA, { status: "shipped", channelKind: "manual" })).orders.map((o) => orderIds.indexOf(o.id))).toEqual([9, 7, 5, 3, 1]);
    expect((await listOrders(q, ids.shopA, { externalId: "ext-6" })).orders.map((o) => o.name)).toEqual(["#1006"]);
    expect((await listOrders(q, ids.shopA, { locationId: ids.reno })).orders.map((o) => orderIds.indexOf(o.id))).toEqual([7, 2]);
    expect((await listOrders(q, ids.shopA, { locationId: ids.reno, status: "reserved" })).orders.map((o) => orderIds.indexOf(o.id))).toEqual([2]);
  });

  it("carries the lines with their allocations and where those are", async () => {
    const [order] = (await listOrders(database(), ids.shopA, { externalId: "ext-5" })).orders;
    expect(order).toMatchObject({ placedAt: "2026-01-01T00:01:00.000Z", totalMinor: 1005, currency: "USD", customerName: "Customer 5", channel: { kind: "manual" } });
    expect(order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, allocations: l.allocations.map((a) => ({ location: a.location, quantity: a.quantity, status: a.status })) }))).toEqual([
      { sku: "SKU-0", quantity: 1, allocations: [{ location: { name: "Dallas", externalId: "1" }, quantity: 1, status: "reserved" }] },
      { sku: "SKU-1", quantity: 2, allocations: [{ location: { name: "Reno", externalId: "2" }, quantity: 2, status: "released" }] },
    ]);
    const [backordered] = (await listOrders(database(), ids.shopA, { status: "backordered" })).orders;
    expect(backordered.lines[0].allocations).toEqual([expect.objectContaining({ locationId: null, location: null, quantity: 3, status: "backordered" })]);
  });

  it("never shows another shop's orders, nor pages from another shop's cursor", async () => {
    const q = database();
    expect((await listOrders(q, ids.shopB, {})).orders.map((o) => o.id)).toEqual([ids.otherShop]);
    expect((await listOrders(q, ids.shopA, { externalId: "ext-99" })).orders).toEqual([]);
    expect((await listOrders(q, ids.shopA, { cursor: ids.otherShop })).orders).toEqual([]);
    expect((await listOrders(q, ids.shopB, { cursor: orderIds[3] })).orders).toEqual([]);
  });
});

describe("the order page's reads", () => {
  it("leaves released allocations out of one order's lines, within the shop", async () => {
    const order = await orderWithLines(database(), ids.shopA, orderIds[5]);
    expect(order!.lines.map((l) => l.allocations.map((a) => a.status))).toEqual([["reserved"], []]);
    expect(await orderWithLines(database(), ids.shopB, orderIds[5])).toBeUndefined();
  });

  it("finds the newest decision of each order", async () => {
    const q = database();
    const decide = (orderId: string, id: string, at: string, meetsPromise: boolean | null) =>
      q.run(`INSERT INTO "RoutingDecision" ("id","shopId","orderId","method","decidedBy","totalCostMinor","shipments","unitsAllocated","unitsBackordered","meetsPromise","explanation","createdAt") VALUES (?,?,?,'exact','lowest_landed_cost',900,1,1,0,?,'{}',?)`, id, ids.shopA, orderId, meetsPromise, at);
    await decide(orderIds[1], "d1-old", "2026-01-02T00:00:00.000Z", null);
    await decide(orderIds[1], "d1-new", "2026-01-03T00:00:00.000Z", true);
    await decide(orderIds[2], "d2", "2026-01-02T00:00:00.000Z", false);
    const latest = await latestDecisionsOfOrders(q, ids.shopA, [orderIds[1], orderIds[2], orderIds[3]]);
    expect([...latest.entries()].map(([orderId, row]) => [orderIds.indexOf(orderId), row.id, row.meetsPromise, row.createdAt])).toEqual([
      [1, "d1-new", true, "2026-01-03T00:00:00.000Z"],
      [2, "d2", false, "2026-01-02T00:00:00.000Z"],
    ].sort((x, y) => (orderIds[x[0] as number] < orderIds[y[0] as number] ? -1 : 1)));
    expect((await latestDecisionsOfOrders(q, ids.shopB, [orderIds[1]])).size).toBe(0);
  });
});
