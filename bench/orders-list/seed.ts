import { upsertLocation } from "../../app/.server/db/catalog";
import { database, type Tx } from "../../app/.server/db/database";
import { marks } from "../../app/.server/db/engine/sql-dialect";
import { newId } from "../../app/.server/db/ids";
import { ensureChannel, ensureShop } from "../../app/.server/db/shops";
import { createRng, type Rng } from "../../app/domain/routing/seeded-random";

// A shop with two years of orders, as the Orders page sees it, written quickly: multi-row INSERTs through the
// data-access port, tens of thousands of rows per transaction. Deterministic (seeded).
//
// - Orders arrive at a rate that doubles over the two years, at whole seconds (as channels report them).
// - Channels: Online Store 60 %, Retail POS 8 %, Amazon US 18 %, Amazon CA 4 %, Wholesale 6 % (bigger
//   orders), Manual 4 %. Two channels of the shopify and of the amazon kind, so a kind filter names several.
// - Status follows age: the last hours hold received/reserved/routed orders, the last days partially shipped
//   ones, backorders sit over the last weeks, and the rest is shipped, with cancelled and returned orders
//   throughout (and a few received ones stuck for good: lines that matched no SKU).
// - 1–4 lines (45/30/15/10 %), 1–3 units; 6 % of lines split over two locations. Allocations per order
//   status: reserved, fulfilled, released (cancelled), returned, backordered (no location).
// - Locations with histories: two DCs carry most; a 3PL opened six months ago; two stores; a store closed
//   fourteen months ago; a drop-ship vendor used for a few hundred orders a year.
// - Other shops' orders in the same tables and time range, so every statement's shop scoping is exercised.

export const DAY_MS = 86_400_000;
/** The seeded world's "now": the newest order is a few minutes older. */
export const NOW_MS = Date.UTC(2026, 5, 30, 12, 0, 0);
const SPAN_DAYS = 730;

export interface SeedLocation {
  externalId: string;
  name: string;
  latitude: number;
  longitude: number;
  /** Share of new allocations while open (the DCs' shares shrink when the 3PL opens). */
  weight: number;
  /** Open between these ages in days (opened `fromDaysAgo` days ago, closed `toDaysAgo` days ago). */
  fromDaysAgo: number;
  toDaysAgo: number;
}

export interface SeedChannel {
  kind: "shopify" | "amazon" | "wholesale" | "manual";
  name: string;
  share: number;
}

export interface ShopSpec {
  domain: string;
  orders: number;
  seed: number;
  channels: SeedChannel[];
  locations: SeedLocation[];
  skus: number;
}

export const BENCH_SHOP: Omit<ShopSpec, "orders"> = {
  domain: "bench-orders-list.myshopify.com",
  seed: 101,
  skus: 600,
  channels: [
    { kind: "shopify", name: "Online Store", share: 0.6 },
    { kind: "shopify", name: "Retail POS", share: 0.08 },
    { kind: "amazon", name: "Amazon US", share: 0.18 },
    { kind: "amazon", name: "Amazon CA", share: 0.04 },
    { kind: "wholesale", name: "Wholesale", share: 0.06 },
    { kind: "manual", name: "Manual orders", share: 0.04 },
  ],
  locations: [
    { externalId: "east-dc", name: "East DC (Allentown)", latitude: 40.6, longitude: -75.49, weight: 0.46, fromDaysAgo: 9999, toDaysAgo: -1 },
    { externalId: "west-dc", name: "West DC (Ontario CA)", latitude: 34.06, longitude: -117.65, weight: 0.36, fromDaysAgo: 9999, toDaysAgo: -1 },
    { externalId: "central-3pl", name: "Central 3PL (Memphis)", latitude: 35.15, longitude: -90.05, weight: 0.16, fromDaysAgo: 180, toDaysAgo: -1 },
    { externalId: "nyc-store", name: "NYC store", latitude: 40.71, longitude: -74.0, weight: 0.05, fromDaysAgo: 9999, toDaysAgo: -1 },
    { externalId: "chicago-store", name: "Chicago store", latitude: 41.88, longitude: -87.63, weight: 0.03, fromDaysAgo: 9999, toDaysAgo: -1 },
    { externalId: "austin-store", name: "Austin store (closed)", latitude: 30.27, longitude: -97.74, weight: 0.06, fromDaysAgo: 9999, toDaysAgo: 425 },
    { externalId: "dropship", name: "Drop-ship vendor", latitude: 39.1, longitude: -94.58, weight: 0.004, fromDaysAgo: 9999, toDaysAgo: -1 },
  ],
};

export const OTHER_SHOPS: ShopSpec[] = [1, 2, 3].map((n) => ({
  domain: `bench-orders-other-${n}.myshopify.com`,
  orders: 15_000,
  seed: 200 + n,
  skus: 150,
  channels: [
    { kind: "shopify", name: "Online Store", share: 0.8 },
    { kind: "manual", name: "Manual orders", share: 0.2 },
  ],
  locations: [
    { externalId: "main", name: "Main warehouse", latitude: 39.74, longitude: -104.99, weight: 0.8, fromDaysAgo: 9999, toDaysAgo: -1 },
    { externalId: "store", name: "Store", latitude: 47.61, longitude: -122.33, weight: 0.2, fromDaysAgo: 9999, toDaysAgo: -1 },
  ],
}));

export const STATUSES = ["received", "reserved", "routed", "backordered", "partially_shipped", "shipped", "returned", "cancelled"] as const;
type Status = (typeof STATUSES)[number];

export interface SeededShop {
  id: string;
  domain: string;
  /** Location ids by externalId. */
  locations: Record<string, string>;
  /** A sample of stored external ids (for look-ups), spread over time and channels. */
  externalIds: string[];
  counts: { orders: number; lines: number; allocations: number };
}

const CITIES: [city: string, province: string, zip: string, lat: number, lng: number, weight: number][] = [
  ["New York", "NY", "10001", 40.71, -74.0, 19.8], ["Los Angeles", "CA", "90012", 34.05, -118.24, 13.2], ["Chicago", "IL", "60601", 41.88, -87.63, 9.5],
  ["Dallas", "TX", "75201", 32.78, -96.8, 7.6], ["Houston", "TX", "77002", 29.76, -95.37, 7.1], ["Washington", "DC", "20001", 38.9, -77.04, 6.3],
  ["Miami", "FL", "33101", 25.76, -80.19, 6.1], ["Philadelphia", "PA", "19103", 39.95, -75.17, 6.2], ["Atlanta", "GA", "30303", 33.75, -84.39, 6.1],
  ["Phoenix", "AZ", "85004", 33.45, -112.07, 4.9], ["Boston", "MA", "02108", 42.36, -71.06, 4.9], ["San Francisco", "CA", "94103", 37.77, -122.42, 4.7],
  ["Detroit", "MI", "48226", 42.33, -83.05, 4.4], ["Seattle", "WA", "98101", 47.61, -122.33, 4.0], ["Minneapolis", "MN", "55401", 44.98, -93.27, 3.7],
  ["San Diego", "CA", "92101", 32.72, -117.16, 3.3], ["Tampa", "FL", "33602", 27.95, -82.46, 3.2], ["Denver", "CO", "80202", 39.74, -104.99, 3.0],
  ["Toronto", "ON", "M5H 2N2", 43.65, -79.38, 3.0], ["Portland", "OR", "97204", 45.52, -122.68, 2.5], ["Austin", "TX", "78701", 30.27, -97.74, 2.3],
];
const FIRST = ["Ava", "Liam", "Noah", "Emma", "Mia", "Lucas", "Sofia", "Ethan", "Zoe", "Omar", "Priya", "Chen", "Maya", "Leo", "Ines", "Kofi"];
const LAST = ["Smith", "Garcia", "Nguyen", "Patel", "Kim", "Johnson", "Brown", "Lopez", "Muller", "Rossi", "Okafor", "Cohen", "Silva", "Tanaka"];

function weighted<T>(rng: Rng, items: readonly T[], weight: (t: T) => number): T {
  const total = items.reduce((s, t) => s + weight(t), 0);
  let x = rng.next() * total;
  for (const t of items) if ((x -= weight(t)) < 0) return t;
  return items[items.length - 1];
}

/** An order's status from its age (hours), as a store's pipeline leaves them. */
function statusOf(rng: Rng, ageHours: number): Status {
  const x = rng.next();
  if (x < 0.0004) return "received"; // stuck: a line matched no SKU
  if (ageHours < 2) return x < 0.1 ? "received" : x < 0.55 ? "reserved" : x < 0.9 ? "routed" : x < 0.96 ? "backordered" : "cancelled";
  if (ageHours < 72) return x < 0.08 ? "reserved" : x < 0.3 ? "routed" : x < 0.42 ? "partially_shipped" : x < 0.9 ? "shipped" : x < 0.95 ? "backordered" : "cancelled";
  if (ageHours < 45 * 24) return x < 0.015 ? "backordered" : x < 0.025 ? "partially_shipped" : x < 0.87 ? "shipped" : x < 0.92 ? "returned" : "cancelled";
  return x < 0.9 ? "shipped" : x < 0.955 ? "returned" : "cancelled";
}

const ORDER_COLS = ["id", "shopId", "channelId", "externalId", "name", "status", "financialStatus", "currency", "totalMinor", "customerExternalId", "email", "customerName",
  "shipAddress1", "shipCity", "shipProvince", "shipCountryCode", "shipZip", "shipLatitude", "shipLongitude", "placedAt", "promisedBy", "externalUpdatedAt", "cancelledAt", "createdAt", "updatedAt"];
const LINE_COLS = ["id", "shopId", "orderId", "externalId", "variantId", "sku", "title", "quantity", "priceMinor", "createdAt"];
const ALLOCATION_COLS = ["id", "shopId", "orderLineId", "locationId", "quantity", "status", "decisionId", "createdAt", "updatedAt"];
/** Rows per INSERT: under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1_000;
/** Orders per transaction. */
const ORDERS_PER_TX = 10_000;

const iso = (ms: number) => new Date(ms).toISOString();

class Batch {
  private rows: unknown[][] = [];
  constructor(private readonly table: string, private readonly columns: string[]) {}
  add(row: unknown[]): void {
    this.rows.push(row);
  }
  async flush(tx: Tx): Promise<number> {
    let written = 0;
    for (let i = 0; i < this.rows.length; i += ROWS_PER_INSERT) {
      const chunk = this.rows.slice(i, i + ROWS_PER_INSERT);
      const one = `(${marks(this.columns.length)})`;
      await tx.run(`INSERT INTO "${this.table}" (${this.columns.map((c) => `"${c}"`).join(",")}) VALUES ${Array(chunk.length).fill(one).join(",")}`, ...chunk.flat());
      written += chunk.length;
    }
    return written;
  }
}

export async function seedShop(spec: ShopSpec, log: (line: string) => void = () => undefined): Promise<SeededShop> {
  const db = database();
  const rng = createRng(spec.seed);
  const shop = await ensureShop(spec.domain);
  const channels: (SeedChannel & { id: string })[] = [];
  const locations: (SeedLocation & { id: string })[] = [];
  await db.transaction(async (tx) => {
    channels.length = 0;
    locations.length = 0;
    for (const c of spec.channels) channels.push({ ...c, id: (await ensureChannel(tx, shop.id, c.kind, c.name)).id });
    for (const l of spec.locations) locations.push({ ...l, id: (await upsertLocation(tx, shop.id, { externalId: l.externalId, name: l.name, active: l.toDaysAgo < 0, latitude: l.latitude, longitude: l.longitude })).id });
  });

  // Catalogue: Zipf-popular SKUs, a product per three variants.
  const variants = Array.from({ length: spec.skus }, (_, i) => ({ id: newId(), sku: `SKU-${String(i + 1).padStart(5, "0")}`, title: `Item ${i + 1}`, priceMinor: 900 + ((i * 7919) % 12_000), popularity: 1 / (i + 1) ** 0.9 }));
  const popularityTotal = variants.reduce((s, v) => s + v.popularity, 0);
  const cumulative = variants.map(((acc) => (v: { popularity: number }) => (acc += v.popularity / popularityTotal))(0));
  const pickVariant = () => {
    const x = rng.next();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return variants[lo];
  };
  await db.transaction(async (tx) => {
    const products = new Batch("Product", ["id", "shopId", "externalId", "title", "createdAt", "updatedAt"]);
    const variantRows = new Batch("Variant", ["id", "shopId", "productId", "externalId", "sku", "title", "priceMinor", "weightGrams", "createdAt", "updatedAt"]);
    const created = iso(NOW_MS - SPAN_DAYS * DAY_MS);
    let productId = "";
    variants.forEach((v, i) => {
      if (i % 3 === 0) {
        productId = newId();
        products.add([productId, shop.id, `gid://shopify/Product/${7_000_000 + i}`, `Product ${i / 3 + 1}`, created, created]);
      }
      variantRows.add([v.id, shop.id, productId, `gid://shopify/ProductVariant/${40_000_000 + i}`, v.sku, v.title, v.priceMinor, 200 + ((i * 131) % 2_800), created, created]);
    });
    await products.flush(tx);
    await variantRows.flush(tx);
  });

  const counts = { orders: 0, lines: 0, allocations: 0 };
  const externalIds: string[] = [];
  const seq = new Map<string, number>();
  const startMs = NOW_MS - SPAN_DAYS * DAY_MS;
  const spanMs = SPAN_DAYS * DAY_MS - 10 * 60_000;
  let writing: Promise<unknown> = Promise.resolve(); // the previous batch's transaction, written while the next is built
  for (let from = 0; from < spec.orders; from += ORDERS_PER_TX) {
    const to = Math.min(spec.orders, from + ORDERS_PER_TX);
    // Rows are built outside the transaction: its function may run more than once.
    const orders = new Batch("Order", ORDER_COLS);
    const lines = new Batch("OrderLine", LINE_COLS);
    const allocations = new Batch("Allocation", ALLOCATION_COLS);
    for (let i = from; i < to; i++) {
      // Rate ∝ 1 + x over the span (x from 0 to 1): x = −1 + √(1 + 3u), u the order's quantile.
      const u = (i + rng.next()) / spec.orders;
      const placedMs = Math.floor((startMs + (-1 + Math.sqrt(1 + 3 * u)) * spanMs) / 1000) * 1000;
      const ageHours = (NOW_MS - placedMs) / 3_600_000;
      const ageDays = ageHours / 24;
      const channel = weighted(rng, channels, (c) => c.share);
      const status = statusOf(rng, ageHours);
      const n = (seq.get(channel.id) ?? 0) + 1;
      seq.set(channel.id, n);
      const externalId = channel.kind === "amazon" ? `${111 + (n % 3)}-${String(1_000_000 + ((n * 7_919) % 9_000_000)).padStart(7, "0")}-${String(n).padStart(7, "0")}`
        : channel.kind === "wholesale" ? `PO-${new Date(placedMs).getUTCFullYear()}-${String(n).padStart(5, "0")}`
        : channel.kind === "manual" ? `M-${n}`
        : String(5_100_000_000_000 + n * 37 + channels.indexOf(channel));
      if (i % 997 === 0) externalIds.push(externalId);
      const city = weighted(rng, CITIES, (c) => c[5]);
      const first = rng.pick(FIRST);
      const last = rng.pick(LAST);
      const customer = rng.int(1, Math.max(10, Math.floor(spec.orders / 3)));
      const lineCount = channel.kind === "wholesale" ? rng.int(3, 4) : weighted(rng, [1, 2, 3, 4], (k) => [0.45, 0.3, 0.15, 0.1][k - 1]);
      const open = locations.filter((l) => ageDays <= l.fromDaysAgo && ageDays > l.toDaysAgo);
      const orderId = newId();
      const placed = iso(placedMs);
      const at = iso(placedMs + 2_000);
      let total = 0;
      const backorderLine = status === "backordered" ? rng.int(0, lineCount - 1) : -1;
      const shippedLines = status !== "partially_shipped" ? 0 : lineCount === 1 ? 1 : rng.int(1, lineCount - 1);
      for (let k = 0; k < lineCount; k++) {
        const v = pickVariant();
        const quantity = channel.kind === "wholesale" ? rng.int(6, 48) : weighted(rng, [1, 2, 3], (q) => [0.75, 0.18, 0.07][q - 1]);
        total += quantity * v.priceMinor;
        const lineId = newId();
        lines.add([lineId, shop.id, orderId, `${externalId}-L${k + 1}`, v.id, v.sku, v.title, quantity, v.priceMinor, placed]);
        counts.lines++;
        if (status === "received") continue;
        const allocationStatus = status === "cancelled" ? "released" : status === "returned" ? "returned" : status === "shipped" ? "fulfilled"
          : status === "partially_shipped" ? (k < shippedLines ? "fulfilled" : "reserved") : "reserved";
        if (k === backorderLine) {
          // All or part of the line waits for stock (no location).
          const waiting = rng.chance(0.6) ? quantity : rng.int(1, quantity);
          allocations.add([newId(), shop.id, lineId, null, waiting, "backordered", null, at, at]);
          counts.allocations++;
          if (waiting < quantity) {
            allocations.add([newId(), shop.id, lineId, weighted(rng, open, (l) => l.weight).id, quantity - waiting, "reserved", null, at, at]);
            counts.allocations++;
          }
          continue;
        }
        const place = weighted(rng, open, (l) => l.weight);
        if (quantity > 1 && open.length > 1 && rng.chance(0.06)) {
          const second = weighted(rng, open.filter((l) => l !== place), (l) => l.weight);
          const part = rng.int(1, quantity - 1);
          allocations.add([newId(), shop.id, lineId, place.id, part, allocationStatus, null, at, at]);
          allocations.add([newId(), shop.id, lineId, second.id, quantity - part, allocationStatus, null, at, at]);
          counts.allocations += 2;
        } else {
          allocations.add([newId(), shop.id, lineId, place.id, quantity, allocationStatus, null, at, at]);
          counts.allocations++;
        }
      }
      const promised = iso(placedMs + 5 * DAY_MS).slice(0, 10);
      orders.add([
        orderId, shop.id, channel.id, externalId, channel.kind === "amazon" ? externalId : `#${1000 + n}`, status, status === "cancelled" ? "refunded" : "paid", "USD", total,
        `cust-${customer}`, `${first.toLowerCase()}.${last.toLowerCase()}${customer}@example.com`, `${first} ${last}`, `${rng.int(1, 9_999)} Main St`, city[0], city[1],
        city[1].length === 2 && city[0] !== "Toronto" ? "US" : "CA", city[2], city[3] + (rng.next() - 0.5) * 0.4, city[4] + (rng.next() - 0.5) * 0.4, placed, promised, at,
        status === "cancelled" ? iso(placedMs + 3_600_000) : null, at, at,
      ]);
      counts.orders++;
    }
    await writing;
    writing = db.transaction(async (tx) => {
      await orders.flush(tx);
      await lines.flush(tx);
      await allocations.flush(tx);
    });
    if ((to / ORDERS_PER_TX) % 10 === 0 || to === spec.orders) log(`${spec.domain}: ${to.toLocaleString("en-US")} orders (${db.dialect})`);
  }
  await writing;
  return { id: shop.id, domain: spec.domain, locations: Object.fromEntries(locations.map((l) => [l.externalId, l.id])), externalIds, counts };
}
