import { openDatabase } from "~/.server/db/engine/open-database";
import { ensureShop } from "~/.server/db/shops";
import { receiveWebhook } from "~/.server/use-cases/receive-webhook";
import { addLocation, addSku, CITIES } from "./catalog";
import { webhookRequest } from "./webhooks";

// The scenario of tests/integration/worker-crash.bull.test.ts, shared by the test process (crash run)
// and tests/support/worker-crash-clean-run.ts (the clean reference run in its own process and database):
// one seeded catalogue, one deterministic stream of signed order webhooks, one normalised snapshot.
//
// Two kinds of SKU, never mixed in one order:
// - AMPLE SKUs: every stocked location holds more than the whole stream ever asks for. An order of these
//   sees the same stock picture whenever it is processed, so its routing (location and quantity per line)
//   does not depend on processing order: crash run and clean run must agree order by order.
// - SCARCE SKUs: each held at ONE location, with far less stock than the stream asks for (checked by
//   `checkScenario`). Which order gets the last units depends on processing order (Bull runs 4 at a time
//   and re-runs killed jobs later), so per-order outcomes are not compared. What must agree is the
//   stock: every scarce unit ends up reserved (stock ≪ demand), by exactly one allocation, and every
//   line's open allocations add up to its quantity (reserved + backordered, nothing doubled or lost).
// Cancels hit both kinds (a scarce cancel releases stock to the oldest backorder: the fill path).

export const CRASH_SHOP = "worker-crash.myshopify.com";
export const CRASH_ORDERS = 5_000;
export const CRASH_SEED = 20_261_120;

/** Shopify legacy location ids → the catalogue's cities. */
export const CRASH_LOCATIONS = [
  { externalId: "71001", city: "newark" },
  { externalId: "71002", city: "dallas" },
  { externalId: "71003", city: "reno" },
  { externalId: "71004", city: "chicago" },
] as const;

const AMPLE_STOCK = 1_000;
export const AMPLE_SKUS = Array.from({ length: 24 }, (_, i) => `AMP-${String(i + 1).padStart(2, "0")}`);
/** Which locations hold an ample SKU: all four, or a pair (so some orders split across locations). */
function ampleLocations(index: number): string[] {
  if (index % 3 === 0) return CRASH_LOCATIONS.map((l) => l.externalId);
  return [CRASH_LOCATIONS[index % 4].externalId, CRASH_LOCATIONS[(index + 1) % 4].externalId];
}
export const SCARCE_STOCK: Record<string, { location: string; quantity: number }> = {
  "LIM-1": { location: "71001", quantity: 30 },
  "LIM-2": { location: "71002", quantity: 25 },
  "LIM-3": { location: "71003", quantity: 20 },
  "LIM-4": { location: "71004", quantity: 15 },
};
export const SCARCE_SKUS = Object.keys(SCARCE_STOCK);

/** Seed the shop, its four locations and the stock above (same call order in both runs). */
export async function seedCrashCatalogue(): Promise<void> {
  const shopId = (await ensureShop(CRASH_SHOP)).id;
  const ids = new Map<string, string>();
  for (const l of CRASH_LOCATIONS) ids.set(l.externalId, (await addLocation(shopId, l.externalId, l.city)).id);
  for (const [i, sku] of AMPLE_SKUS.entries()) {
    await addSku(shopId, sku, Object.fromEntries(ampleLocations(i).map((ext) => [ids.get(ext)!, AMPLE_STOCK])));
  }
  for (const [sku, s] of Object.entries(SCARCE_STOCK)) await addSku(shopId, sku, { [ids.get(s.location)!]: s.quantity });
}

// ---- the webhook stream -------------------------------------------------------------------------

export interface CrashEvent {
  topic: "orders/create" | "orders/cancelled";
  eventId: string;
  body: string;
  orderId: string;
  kind: "ample" | "scarce";
}

export interface CrashOrder {
  id: string;
  kind: "ample" | "scarce";
  lines: { id: string; sku: string; quantity: number }[];
  cancelled: boolean;
}

/** A small seeded PRNG (the stream and the test's kill timings). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DESTINATIONS = [
  ...Object.entries(CITIES).map(([city, c]) => ({ city, ...c })),
  { city: "atlanta", latitude: 33.749, longitude: -84.388, province: "GA", zip: "30303" },
  { city: "seattle", latitude: 47.6062, longitude: -122.3321, province: "WA", zip: "98101" },
  { city: "denver", latitude: 39.7392, longitude: -104.9903, province: "CO", zip: "80202" },
  { city: "boston", latitude: 42.3601, longitude: -71.0589, province: "MA", zip: "02108" },
  { city: "miami", latitude: 25.7617, longitude: -80.1918, province: "FL", zip: "33130" },
  { city: "phoenix", latitude: 33.4484, longitude: -112.074, province: "AZ", zip: "85004" },
];

const BASE_TIME = Date.UTC(2026, 10, 20, 8, 0, 0);

function orderBody(order: CrashOrder, i: number, dest: (typeof DESTINATIONS)[number], cancelledAt: string | null): string {
  const created = new Date(BASE_TIME + i * 1000).toISOString();
  const updated = cancelledAt ?? created;
  // Ids are bare 64-bit JSON numbers, as Shopify sends them (beyond 2^53 on purpose).
  return `{"id":${order.id},"admin_graphql_api_id":"gid://shopify/Order/${order.id}","name":"#C${10000 + i}","email":"buyer${i}@example.com","phone":null,"currency":"USD","total_price":"50.00","financial_status":"paid","created_at":"${created}","updated_at":"${updated}","cancelled_at":${cancelledAt ? `"${cancelledAt}"` : "null"},"customer":{"id":${7300000000000000000n + BigInt(i)},"first_name":"Buyer","last_name":"${i}"},"shipping_address":{"name":"Buyer ${i}","address1":"1 Main St","city":"${dest.city}","province_code":"${dest.province}","country_code":"US","zip":"${dest.zip}","latitude":${dest.latitude},"longitude":${dest.longitude}},"line_items":[${order.lines
    .map((l) => `{"id":${l.id},"admin_graphql_api_id":"gid://shopify/LineItem/${l.id}","variant_id":null,"sku":"${l.sku}","title":"Item ${l.sku}","quantity":${l.quantity},"price":"10.00"}`)
    .join(",")}]}`;
}

function pick<T>(rand: () => number, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return out;
}

/**
 * The stream, deterministic for a seed: `count` orders/create (one in five scarce), about 6 % of them
 * cancelled by an orders/cancelled 20–400 positions later, and about 2 % of deliveries repeated (same
 * event id, as Shopify's retries) a few positions later.
 */
export function crashScenario(count = CRASH_ORDERS, seed = CRASH_SEED): { orders: CrashOrder[]; events: CrashEvent[] } {
  const rand = mulberry32(seed);
  const orders: CrashOrder[] = [];
  const slots: CrashEvent[][] = Array.from({ length: count + 500 }, () => []);
  for (let i = 0; i < count; i++) {
    const kind = rand() < 0.2 ? "scarce" : "ample";
    const id = (5_100_000_000_000_000_000n + BigInt(i)).toString();
    const skus = kind === "ample" ? pick(rand, AMPLE_SKUS, 1 + Math.floor(rand() * 3)) : pick(rand, SCARCE_SKUS, 1 + Math.floor(rand() * 2));
    const lines = skus.map((sku, j) => ({ id: (6_200_000_000_000_000_000n + BigInt(i * 10 + j)).toString(), sku, quantity: 1 + Math.floor(rand() * (kind === "ample" ? 3 : 2)) }));
    const dest = DESTINATIONS[Math.floor(rand() * DESTINATIONS.length)];
    const cancelled = rand() < 0.06;
    const order: CrashOrder = { id, kind, lines, cancelled };
    orders.push(order);
    const create: CrashEvent = { topic: "orders/create", eventId: eventId(seed, i, "c"), body: orderBody(order, i, dest, null), orderId: id, kind };
    slots[i].push(create);
    if (rand() < 0.02) slots[i + 1 + Math.floor(rand() * 10)].push(create);
    if (cancelled) {
      const at = new Date(BASE_TIME + i * 1000 + 3_600_000).toISOString();
      slots[i + 20 + Math.floor(rand() * 380)].push({ topic: "orders/cancelled", eventId: eventId(seed, i, "x"), body: orderBody(order, i, dest, at), orderId: id, kind });
    }
  }
  return { orders, events: slots.flat() };
}

function eventId(seed: number, i: number, what: string): string {
  const hex = (n: number, len: number) => (n >>> 0).toString(16).padStart(len, "0").slice(-len);
  return `${hex(seed, 8)}-${hex(i >>> 16, 4)}-4${hex(i & 0xfff, 3)}-8${what === "c" ? "000" : "001"}-${hex(i, 12)}`;
}

/** Demand per SKU (all orders, and orders never cancelled) — the numbers the comparison relies on. */
export function demandBySku(orders: CrashOrder[]): { all: Map<string, number>; live: Map<string, number> } {
  const all = new Map<string, number>();
  const live = new Map<string, number>();
  for (const o of orders) {
    for (const l of o.lines) {
      all.set(l.sku, (all.get(l.sku) ?? 0) + l.quantity);
      if (!o.cancelled) live.set(l.sku, (live.get(l.sku) ?? 0) + l.quantity);
    }
  }
  return { all, live };
}

/** Throws unless the construction holds: ample stock beats the whole demand, scarce demand is ≥ 3× stock. */
export function checkScenario(orders: CrashOrder[]): void {
  const { all, live } = demandBySku(orders);
  for (const sku of AMPLE_SKUS) {
    if ((all.get(sku) ?? 0) >= AMPLE_STOCK) throw new Error(`scenario: ${sku} demand ${all.get(sku)} reaches its per-location stock ${AMPLE_STOCK}`);
  }
  for (const [sku, s] of Object.entries(SCARCE_STOCK)) {
    if ((live.get(sku) ?? 0) < 3 * s.quantity) throw new Error(`scenario: ${sku} live demand ${live.get(sku)} is not ≥ 3× its stock ${s.quantity}`);
  }
}

/**
 * Send the stream through the production intake (`receiveWebhook`: verify HMAC → inbox → enqueue).
 * `parallel` deliveries at a time, each in stream order within its window; a non-200 (e.g. SQLITE_BUSY
 * while a worker writes) is redelivered with the same event id, as Shopify would, up to 5 times.
 */
export async function deliverCrashEvents(events: CrashEvent[], opts: { parallel?: number; onProgress?: (sent: number) => void } = {}): Promise<{ redeliveries: number }> {
  const parallel = opts.parallel ?? 1;
  let redeliveries = 0;
  const deliver = async (e: CrashEvent) => {
    for (let attempt = 1; ; attempt++) {
      let status: number;
      try {
        const req = webhookRequest({ topic: e.topic, shop: CRASH_SHOP, body: e.body, eventId: e.eventId, webhookId: `wh-${e.eventId}-${attempt}` });
        status = (await receiveWebhook(req, e.topic)).status;
      } catch (error) {
        if (attempt >= 5) throw error;
        status = 500;
      }
      if (status === 200) return;
      if (attempt >= 5) throw new Error(`webhook ${e.eventId} answered ${status} five times`);
      redeliveries += 1;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  };
  for (let i = 0; i < events.length; i += parallel) {
    await Promise.all(events.slice(i, i + parallel).map(deliver));
    opts.onProgress?.(Math.min(i + parallel, events.length));
  }
  return { redeliveries };
}

// ---- the normalised snapshot --------------------------------------------------------------------

export interface PipelineSnapshot {
  /** `${topic}|${status}` → rows */
  inbox: Record<string, number>;
  /** order external ids stored more than once */
  duplicateOrders: string[];
  /** order external id → status and, per line external id, its SKU, quantity and open allocations */
  orders: Record<string, { status: string; lines: Record<string, { sku: string; quantity: number; open: Record<string, number> }> }>;
  /** `${sku}@${location external id}` → level */
  levels: Record<string, { onHand: number; reserved: number; safety: number }>;
  /** `${sku}@${location external id}|${bucket}` → sum of ledger deltas */
  ledger: Record<string, number>;
  /** `${sku}@${location external id}` → units in allocations with status reserved */
  reservedAllocations: Record<string, number>;
  /** ledger idempotency keys `reserve:<allocation id>` that belong to no allocation, or appear twice */
  orphanReserveEntries: number;
}

/** Read a database (its own connections, SQLite or PostgreSQL) into ids-free, comparable form. */
export async function snapshotPipeline(url: string, shopDomain = CRASH_SHOP): Promise<PipelineSnapshot> {
  const db = openDatabase(url, { poolSize: 2, checkpointThread: false });
  try {
    const shop = (await db.get<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, shopDomain))!;
    const inbox: PipelineSnapshot["inbox"] = {};
    for (const r of await db.all<{ topic: string; status: string; n: number }>(`SELECT "topic","status",COUNT(*) AS "n" FROM "WebhookInbox" WHERE "shopDomain" = ? GROUP BY "topic","status"`, shopDomain)) {
      inbox[`${r.topic}|${r.status}`] = r.n;
    }
    const duplicateOrders = (await db.all<{ externalId: string }>(`SELECT "externalId" FROM "Order" WHERE "shopId" = ? GROUP BY "channelId","externalId" HAVING COUNT(*) > 1`, shop.id)).map((r) => r.externalId);

    const orders: PipelineSnapshot["orders"] = {};
    for (const r of await db.all<{ externalId: string; status: string }>(`SELECT "externalId","status" FROM "Order" WHERE "shopId" = ?`, shop.id)) {
      orders[r.externalId] = { status: r.status, lines: {} };
    }
    const lines = await db.all<{ order: string; id: string; line: string; sku: string; quantity: number }>(
      `SELECT o."externalId" AS "order", l."id" AS "id", l."externalId" AS "line", l."sku" AS "sku", l."quantity" AS "quantity" FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId" WHERE l."shopId" = ?`,
      shop.id,
    );
    const lineById = new Map<string, { sku: string; quantity: number; open: Record<string, number> }>();
    for (const l of lines) {
      const entry = { sku: l.sku, quantity: l.quantity, open: {} };
      orders[l.order].lines[l.line] = entry;
      lineById.set(l.id, entry);
    }
    const reservedAllocations: PipelineSnapshot["reservedAllocations"] = {};
    const allocations = await db.all<{ orderLineId: string; status: string; quantity: number; location: string | null }>(
      `SELECT a."orderLineId" AS "orderLineId", a."status" AS "status", a."quantity" AS "quantity", loc."externalId" AS "location"
       FROM "Allocation" a LEFT JOIN "Location" loc ON loc."id" = a."locationId" WHERE a."shopId" = ? AND a."status" IN ('reserved','backordered')`,
      shop.id,
    );
    for (const a of allocations) {
      const line = lineById.get(a.orderLineId)!;
      const key = `${a.status}@${a.location ?? "-"}`;
      line.open[key] = (line.open[key] ?? 0) + a.quantity;
      if (a.status === "reserved") reservedAllocations[`${line.sku}@${a.location}`] = (reservedAllocations[`${line.sku}@${a.location}`] ?? 0) + a.quantity;
    }

    const levels: PipelineSnapshot["levels"] = {};
    for (const r of await db.all<{ sku: string; location: string; onHand: number; reserved: number; safety: number }>(
      `SELECT v."sku" AS "sku", loc."externalId" AS "location", il."onHand" AS "onHand", il."reserved" AS "reserved", il."safety" AS "safety"
       FROM "InventoryLevel" il JOIN "Variant" v ON v."id" = il."variantId" JOIN "Location" loc ON loc."id" = il."locationId" WHERE il."shopId" = ?`,
      shop.id,
    )) {
      levels[`${r.sku}@${r.location}`] = { onHand: r.onHand, reserved: r.reserved, safety: r.safety };
    }
    const ledger: PipelineSnapshot["ledger"] = {};
    for (const r of await db.all<{ sku: string; location: string; bucket: string; sum: number }>(
      `SELECT v."sku" AS "sku", loc."externalId" AS "location", e."bucket" AS "bucket", SUM(e."delta") AS "sum"
       FROM "InventoryLedgerEntry" e JOIN "Variant" v ON v."id" = e."variantId" JOIN "Location" loc ON loc."id" = e."locationId" WHERE e."shopId" = ? GROUP BY v."sku", loc."externalId", e."bucket"`,
      shop.id,
    )) {
      ledger[`${r.sku}@${r.location}|${r.bucket}`] = r.sum;
    }
    const orphan = (await db.get<{ n: number }>(
      `SELECT COUNT(*) AS "n" FROM "InventoryLedgerEntry" e WHERE e."shopId" = ? AND e."idempotencyKey" LIKE 'reserve:%'
         AND NOT EXISTS (SELECT 1 FROM "Allocation" a WHERE a."shopId" = e."shopId" AND a."id" = substr(e."idempotencyKey", 9))`,
      shop.id,
    ))!;
    return { inbox, duplicateOrders, orders, levels, ledger, reservedAllocations, orphanReserveEntries: orphan.n };
  } finally {
    await db.close();
  }
}

/**
 * What must hold in any run, crashed or clean. Returns the violations (empty when all is well).
 * - the inbox is drained: every row processed;
 * - every order of the stream stored exactly once, with its lines;
 * - a cancelled order holds nothing; any other order's lines hold reserved + backordered = quantity,
 *   and its status says which (backordered when any unit waits, reserved/routed otherwise);
 * - per SKU × location: level.reserved = ledger's reserved sum = units in reserved allocations,
 *   level.onHand = ledger's on-hand sum, available (onHand − reserved − safety) ≥ 0;
 * - every reserve ledger entry belongs to an allocation.
 */
export function invariantViolations(snap: PipelineSnapshot, orders: CrashOrder[]): string[] {
  const v: string[] = [];
  for (const [key, n] of Object.entries(snap.inbox)) if (!key.endsWith("|processed")) v.push(`inbox: ${n} rows ${key}`);
  if (snap.duplicateOrders.length > 0) v.push(`orders stored twice: ${snap.duplicateOrders.slice(0, 5).join(", ")}`);
  if (Object.keys(snap.orders).length !== orders.length) v.push(`orders stored: ${Object.keys(snap.orders).length}, expected ${orders.length}`);
  for (const o of orders) {
    const got = snap.orders[o.id];
    if (!got) {
      v.push(`order ${o.id} missing`);
      continue;
    }
    if (Object.keys(got.lines).length !== o.lines.length) v.push(`order ${o.id}: ${Object.keys(got.lines).length} lines, expected ${o.lines.length}`);
    let waiting = 0;
    for (const line of o.lines) {
      const l = got.lines[line.id];
      if (!l) continue;
      const held = Object.values(l.open).reduce((s, q) => s + q, 0);
      waiting += Object.entries(l.open).filter(([k]) => k.startsWith("backordered@")).reduce((s, [, q]) => s + q, 0);
      const want = o.cancelled ? 0 : line.quantity;
      if (held !== want) v.push(`order ${o.id} line ${line.id} (${line.sku}): open allocations ${held}, expected ${want} ${JSON.stringify(l.open)}`);
    }
    const statusOk = o.cancelled ? got.status === "cancelled" : waiting > 0 ? got.status === "backordered" : got.status === "reserved" || got.status === "routed";
    if (!statusOk) v.push(`order ${o.id}: status ${got.status} (cancelled: ${o.cancelled}, units waiting: ${waiting})`);
  }
  for (const [key, level] of Object.entries(snap.levels)) {
    const reservedLedger = snap.ledger[`${key}|reserved`] ?? 0;
    const onHandLedger = snap.ledger[`${key}|on_hand`] ?? 0;
    const allocated = snap.reservedAllocations[key] ?? 0;
    if (level.reserved !== reservedLedger) v.push(`${key}: level reserved ${level.reserved} ≠ ledger ${reservedLedger}`);
    if (level.reserved !== allocated) v.push(`${key}: level reserved ${level.reserved} ≠ reserved allocations ${allocated}`);
    if (level.onHand !== onHandLedger) v.push(`${key}: level onHand ${level.onHand} ≠ ledger ${onHandLedger}`);
    if (level.onHand - level.reserved - level.safety < 0) v.push(`${key}: negative available ${level.onHand - level.reserved - level.safety}`);
  }
  if (snap.orphanReserveEntries > 0) v.push(`${snap.orphanReserveEntries} reserve ledger entries without their allocation`);
  return v;
}
