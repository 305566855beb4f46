import { beforeAll, describe, expect, it } from "vitest";
import { upsertLocation } from "./catalog";
import { database } from "./database";
import { marks } from "./engine/sql-dialect";
import { newId } from "./ids";
import { listOrders, type OrderFilter } from "./orders";
import { ensureChannel, ensureShop } from "./shops";

// The Orders list's other ways of reading (orders.ts listOrders): a channel kind with several channels read
// channel by channel and merged; an external id looked up per channel; a location with thousands of
// allocations none of them recent (a store closed long ago), whose page is not among the newest orders, so
// the walk through the newest candidates gives way to collecting from its allocations. Each must list the same
// orders, in the same order, as the plain definition computed here from everything stored.

const SHOP = "orders-list-paths.myshopify.com";
const CLOSED_ORDERS = 2_600; // two allocations each (reserved or fulfilled): more than the 5,000 that make a location busy
const NEWER_ORDERS = 2_100; // placed after the store closed, three allocations each at the DC (busy too): more than the 2,000-order window
const ids: Record<string, string> = {};

interface Seeded {
  id: string;
  channelId: string;
  externalId: string;
  status: string;
  placedAt: string;
  locations: string[];
}
const seeded: Seeded[] = [];

beforeAll(async () => {
  const db = database();
  const shop = await ensureShop(SHOP);
  ids.shop = shop.id;
  await db.transaction(async (tx) => {
    ids.us = (await ensureChannel(tx, shop.id, "amazon", "Amazon US")).id;
    ids.ca = (await ensureChannel(tx, shop.id, "amazon", "Amazon CA")).id;
    ids.web = (await ensureChannel(tx, shop.id, "shopify", "Online Store")).id;
    ids.closed = (await upsertLocation(tx, shop.id, { externalId: "austin", name: "Austin (closed)", active: false })).id;
    ids.dc = (await upsertLocation(tx, shop.id, { externalId: "dc", name: "DC", active: true })).id;
  });
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < CLOSED_ORDERS + NEWER_ORDERS; i++) {
    const closed = i < CLOSED_ORDERS;
    // Every third order shares its placed second with the next (ties across channels); amazon alternates US/CA.
    const channelId = i % 5 === 0 ? ids.web : i % 2 === 0 ? ids.us : ids.ca;
    seeded.push({
      id: newId(), channelId, externalId: i === 7 || i === 8 ? "DUP-1" : `X-${i}`, status: i % 7 === 0 ? "reserved" : "shipped",
      placedAt: new Date(start + Math.floor((i * 2) / 3) * 60_000).toISOString(), locations: closed ? [ids.closed, ids.closed] : [ids.dc, ids.dc, ids.dc],
    });
  }
  // Bulk rows, a few hundred per statement.
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 300) {
      const chunk = rows.slice(i, i + 300);
      await db.transaction((tx) => tx.run(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) VALUES ${chunk.map(() => `(${marks(columns.length)})`).join(",")}`, ...chunk.flat()));
    }
  };
  const lines: unknown[][] = [];
  const allocations: unknown[][] = [];
  for (const o of seeded) {
    o.locations.forEach((locationId, n) => {
      const lineId = newId();
      lines.push([lineId, ids.shop, o.id, `L${n}`, `SKU-${n}`, "Item", 1, 500, o.placedAt]);
      allocations.push([newId(), ids.shop, lineId, locationId, 1, o.status === "reserved" ? "reserved" : "fulfilled", o.placedAt, o.placedAt]);
    });
  }
  await insert("Order", ["id", "shopId", "channelId", "externalId", "name", "status", "currency", "totalMinor", "placedAt"], seeded.map((o, i) => [o.id, ids.shop, o.channelId, o.externalId, `#${i}`, o.status, "USD", 500, o.placedAt]));
  await insert("OrderLine", ["id", "shopId", "orderId", "externalId", "sku", "title", "quantity", "priceMinor", "createdAt"], lines);
  await insert("Allocation", ["id", "shopId", "orderLineId", "locationId", "quantity", "status", "createdAt", "updatedAt"], allocations);
}, 120_000);

/** The definition: the matching orders, placedAt then id descending. */
function expected(match: (o: Seeded) => boolean): string[] {
  return seeded.filter(match).sort((a, b) => (a.placedAt < b.placedAt ? 1 : a.placedAt > b.placedAt ? -1 : a.id < b.id ? 1 : -1)).map((o) => o.id);
}

/** Every page as the Orders page follows "Next", up to `pages` pages. */
async function walk(filter: OrderFilter, pages: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < pages; page++) {
    const result = await listOrders(database(), ids.shop, { ...filter, cursor });
    seen.push(...result.orders.map((o) => o.id));
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return seen;
}

describe("listOrders beyond one index", () => {
  it("merges a kind's channels newest first, page after page, ties included, each order once", async () => {
    const amazon = expected((o) => o.channelId !== ids.web);
    expect(await walk({ channelKind: "amazon", take: 7 }, 6)).toEqual(amazon.slice(0, 42));
    const [first] = (await listOrders(database(), ids.shop, { channelKind: "amazon", take: 1 })).orders;
    expect(first.channel).toEqual({ kind: "amazon", name: seeded.find((o) => o.id === first.id)!.channelId === ids.us ? "Amazon US" : "Amazon CA" });
  });

  it("finds an external id on whichever channel has it, and on each that has it", async () => {
    const dup = expected((o) => o.externalId === "DUP-1");
    expect(dup).toHaveLength(2);
    expect((await listOrders(database(), ids.shop, { externalId: "DUP-1" })).orders.map((o) => o.id)).toEqual(dup);
    expect((await listOrders(database(), ids.shop, { externalId: "DUP-1", channelKind: "amazon" })).orders.map((o) => o.id)).toEqual(dup);
    expect((await listOrders(database(), ids.shop, { externalId: "X-10" })).orders.map((o) => o.externalId)).toEqual(["X-10"]);
    expect((await listOrders(database(), ids.shop, { externalId: "X-10", channelKind: "amazon" })).orders).toEqual([]);
  });

  it("lists a closed store's orders, older than the newest 2,000, page after page", async () => {
    const closed = expected((o) => o.locations.includes(ids.closed));
    expect(await walk({ locationId: ids.closed, take: 25 }, 3)).toEqual(closed.slice(0, 75));
    expect(await walk({ locationId: ids.closed, status: "reserved", take: 25 }, 2)).toEqual(expected((o) => o.locations.includes(ids.closed) && o.status === "reserved").slice(0, 50));
    expect(await walk({ locationId: ids.closed, channelKind: "amazon", take: 25 }, 2)).toEqual(expected((o) => o.locations.includes(ids.closed) && o.channelId !== ids.web).slice(0, 50));
  });

  it("lists a busy location's newest orders from the newest candidates, and its reserved ones among all", async () => {
    expect(await walk({ locationId: ids.dc, take: 25 }, 3)).toEqual(expected((o) => o.locations.includes(ids.dc)).slice(0, 75));
    const reservedAtDc = expected((o) => o.locations.includes(ids.dc) && o.status === "reserved");
    expect(await walk({ locationId: ids.dc, status: "reserved", take: 250 }, 3)).toEqual(reservedAtDc);
  });
});
