import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { intakeChannelOfKind, type IntakeChannel } from "~/.server/channels/intake-channel";
import { database } from "~/.server/db/database";
import { redactCustomerData } from "~/.server/db/privacy";
import { ensureChannel, ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { createImport } from "~/.server/use-cases/create-import";
import { ingestChannelOrder } from "~/.server/use-cases/ingest-channel-order";
import { ingestNewOrders } from "~/.server/use-cases/ingest-order-batch";
import { createTradingPartner, savePartnerItems } from "~/.server/use-cases/manage-trading-partners";
import { readImport } from "~/.server/use-cases/read-imports";
import { runImport } from "~/.server/use-cases/run-import";
import type { ChannelOrder } from "~/domain/orders/channel-order";
import { generatePurchaseOrders } from "../../bench/imports/csv-po-generator";
import { generateAllOrdersReport } from "../../bench/imports/report-generator";
import { addLocation, addSku, CITIES } from "../support/catalog";
import { observableState, stockInvariants } from "../support/shop-state";

// The batch intake (ADR 0032) leaves exactly what the per-order path leaves: the same random orders (random SKUs
// and quantities, stock short so some backorder, several locations, a SKU the catalog lacks, a line of 0, two lines
// of one SKU, duplicates, orders held already) taken in one by one in one shop and in batches in another compare
// equal in everything observable — orders and statuses, lines, allocations per line/location/quantity, backorders,
// routing decisions, levels, ledger, location load, audit. Then whole imports (an Amazon report and a CSV of POs)
// one by one and in batches; importing the same file again changes nothing; and a batch meeting per-order ingests
// of the same SKU leaves every level right.

setQueue(new InProcessQueue()); // jobs are recorded, not run

const CITY_NAMES = Object.keys(CITIES) as (keyof typeof CITIES)[];
const SKUS = ["BX-A", "BX-B", "BX-C", "BX-D"];
let shops = 0;

/** A shop with the four cities as locations (ids L<i>) and stock per SKU and city as given (SKU "BX-NONE" unknown). */
async function shopWith(stock: number[][]): Promise<{ shopId: string; channel: IntakeChannel; locations: string[] }> {
  const domain = `batch-${++shops}.myshopify.com`;
  const shopId = (await ensureShop(domain)).id;
  const locations: string[] = [];
  for (const [i, city] of CITY_NAMES.entries()) locations.push((await addLocation(shopId, `L${i}`, city)).id);
  for (const [s, sku] of SKUS.entries()) await addSku(shopId, sku, Object.fromEntries(locations.map((l, i) => [l, stock[s][i]]).filter(([, q]) => Number(q) > 0)));
  return { shopId, channel: await intakeChannelOfKind(database(), domain, "manual"), locations };
}

const NOW = new Date("2026-11-24T15:00:00Z");

function order(i: number, spec: { lines: { sku: number; quantity: number }[]; city: number; minutes: number }, prefix = "r"): ChannelOrder {
  const city = CITIES[CITY_NAMES[spec.city]];
  const placedAt = new Date(Date.UTC(2026, 10, 24, 8, 0, 0) + spec.minutes * 60_000).toISOString();
  return {
    externalId: `${prefix}-${i}`,
    name: `#${5000 + i}`,
    currency: "USD",
    totalMinor: 1000 * spec.lines.length,
    financialStatus: "paid",
    email: `b${i}@example.com`,
    phone: null,
    customerExternalId: `c-${i}`,
    customerName: `Buyer ${i}`,
    shipTo: { name: `Buyer ${i}`, address1: "1 Main St", city: CITY_NAMES[spec.city], province: city.province, countryCode: "US", zip: city.zip, latitude: city.latitude, longitude: city.longitude },
    placedAt,
    updatedAt: placedAt,
    cancelledAt: null,
    lines: spec.lines.map((l, j) => ({ externalId: `${prefix}-${i}-${j}`, sku: l.sku < SKUS.length ? SKUS[l.sku] : "BX-NONE", variantExternalId: null, title: `item ${l.sku}`, quantity: l.quantity, priceMinor: 1000 })),
  };
}

const orderSpec = fc.record({
  lines: fc.array(fc.record({ sku: fc.nat({ max: SKUS.length }), quantity: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 6 }), weight: 9 }, { arbitrary: fc.constant(0), weight: 1 }) }), { minLength: 1, maxLength: 4 }),
  city: fc.nat({ max: CITY_NAMES.length - 1 }),
  minutes: fc.nat({ max: 600 }),
});
const stockSpec = fc.array(fc.array(fc.nat({ max: 9 }), { minLength: CITY_NAMES.length, maxLength: CITY_NAMES.length }), { minLength: SKUS.length, maxLength: SKUS.length });

describe("batch intake ≡ per-order intake", () => {
  it("random orders against short stock: the same orders, statuses, allocations, backorders, decisions, levels, ledger, load and audit", async () => {
    await fc.assert(
      fc.asyncProperty(
        stockSpec,
        fc.array(orderSpec, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 25 }), // batch size
        fc.array(fc.nat({ max: 39 }), { maxLength: 4 }), // orders taken in before (held already when the batch comes)
        fc.array(fc.nat({ max: 39 }), { maxLength: 3 }), // orders the file lists twice
        async (stock, specs, batchSize, before, twice) => {
          const orders = specs.map((s, i) => order(i, s));
          const earlier = [...new Set(before.filter((i) => i < orders.length))].map((i) => orders[i]);
          const listed = [...orders];
          for (const i of twice) if (i < orders.length) listed.splice(Math.min(listed.length, i + 3), 0, orders[i]);
          const one = await shopWith(stock);
          const many = await shopWith(stock);
          for (const o of earlier) {
            await ingestChannelOrder(one.channel, o, { now: NOW, actor: "test" });
            await ingestChannelOrder(many.channel, o, { now: NOW, actor: "test" });
          }
          // Per order, in file order.
          for (const o of listed) await ingestChannelOrder(one.channel, o, { now: NOW, actor: "test" });
          // In batches; what a batch leaves goes through the per-order path after it, as run-import does.
          let taken = 0;
          for (let i = 0; i < listed.length; i += batchSize) {
            const batch = listed.slice(i, i + batchSize);
            const results = await ingestNewOrders(many.channel, batch, { now: NOW, actor: "test" });
            taken += results.filter(Boolean).length;
            for (const [j, o] of batch.entries()) if (!results[j]) await ingestChannelOrder(many.channel, o, { now: NOW, actor: "test" });
          }
          expect(taken).toBe(orders.length - earlier.length); // every new order went the batch way, nothing twice
          const [a, b] = [await observableState(one.shopId), await observableState(many.shopId)];
          expect(b).toEqual(a);
          expect(await stockInvariants(many.shopId)).toEqual([]);
          if (orders.some((o) => o.lines.some((l) => l.quantity > 0))) expect(a.allocations.length).toBeGreaterThan(0); // (lines of 0 alone allocate nothing)
        },
      ),
      { numRuns: Number(process.env.BATCH_PROPERTY_RUNS ?? 25), ...(process.env.BATCH_PROPERTY_SEED ? { seed: Number(process.env.BATCH_PROPERTY_SEED) } : {}) },
    );
  }, 300_000);

  it("with `unrouted`: orders arriving cancelled and orders the channel fulfils (FBA) stored as the per-order path stores them, among routed ones", async () => {
    await fc.assert(
      fc.asyncProperty(
        stockSpec,
        fc.array(fc.record({ spec: orderSpec, kind: fc.constantFrom("plain", "cancelled", "channel", "channel-cancelled") }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 20 }),
        async (stock, specs, batchSize) => {
          const orders = specs.map(({ spec, kind }, i) => ({ ...order(i, spec, "u"), cancelledAt: kind.endsWith("cancelled") ? "2026-11-24T09:00:00Z" : null }));
          const byChannel = new Set(orders.filter((_, i) => specs[i].kind.startsWith("channel")));
          const one = await shopWith(stock);
          const many = await shopWith(stock);
          for (const o of orders) await ingestChannelOrder(one.channel, o, { now: NOW, actor: "test", fulfilledByChannel: byChannel.has(o) });
          let taken = 0;
          for (let i = 0; i < orders.length; i += batchSize) {
            const batch = orders.slice(i, i + batchSize);
            const results = await ingestNewOrders(many.channel, batch, { now: NOW, actor: "test", unrouted: { fulfilledByChannel: byChannel } });
            taken += results.filter(Boolean).length;
            for (const [j, o] of batch.entries()) if (!results[j]) await ingestChannelOrder(many.channel, o, { now: NOW, actor: "test", fulfilledByChannel: byChannel.has(o) });
            for (const [j, o] of batch.entries()) if (results[j]) expect(results[j]!.status).toBe(o.cancelledAt ? "cancelled" : byChannel.has(o) ? "shipped" : results[j]!.status);
          }
          expect(taken).toBe(orders.length); // every one went the batch way
          expect(await observableState(many.shopId)).toEqual(await observableState(one.shopId));
          expect(await stockInvariants(many.shopId)).toEqual([]);
        },
      ),
      { numRuns: Number(process.env.BATCH_PROPERTY_RUNS ?? 15), ...(process.env.BATCH_PROPERTY_SEED ? { seed: Number(process.env.BATCH_PROPERTY_SEED) } : {}) },
    );
  }, 300_000);

  it("a batch that meets per-order ingests of the same SKU (at once) leaves correct levels: ledger = levels = open reservations, never below zero", async () => {
    const shop = await shopWith([[6, 4, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    const spec = (i: number) => ({ lines: [{ sku: 0, quantity: 1 + (i % 2) }], city: i % 4, minutes: i });
    const batch = Array.from({ length: 30 }, (_, i) => order(i, spec(i), "bat"));
    const singles = Array.from({ length: 10 }, (_, i) => order(i, spec(i), "one"));
    const [results] = await Promise.all([ingestNewOrders(shop.channel, batch, { actor: "test" }), ...singles.map((o) => ingestChannelOrder(shop.channel, o, { actor: "test" }))]);
    for (const [i, o] of batch.entries()) if (!results[i]) await ingestChannelOrder(shop.channel, o, { actor: "test" });
    expect(await stockInvariants(shop.shopId)).toEqual([]);
    const state = await observableState(shop.shopId);
    expect(state.orders.length).toBe(40);
    const reserved = state.levels.filter((l) => l.sku === "BX-A").reduce((n, l) => n + Number(l.reserved), 0);
    expect(reserved).toBe(12); // all 12 units of BX-A are taken: 55 are wanted
    const wanted = [...batch, ...singles].reduce((n, o) => n + o.lines[0].quantity, 0);
    const backordered = state.allocations.filter((a) => a.status === "backordered").reduce((n, a) => n + Number(a.quantity), 0);
    expect(backordered).toBe(wanted - 12);
  }, 60_000);

  it("an order of a forgotten customer (customers/redact) is left to the per-order path, which stores it anonymised; a shop that forgot no one takes every order", async () => {
    const spec = (i: number) => ({ lines: [{ sku: 0, quantity: 1 }], city: i % 4, minutes: i });
    const batch = Array.from({ length: 3 }, (_, i) => order(i, spec(i), "red"));
    const clean = await shopWith([[9, 9, 9, 9], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    expect((await ingestNewOrders(clean.channel, batch, { actor: "test" })).map(Boolean)).toEqual([true, true, true]);

    const shop = await shopWith([[9, 9, 9, 9], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    await redactCustomerData(shop.channel.shopDomain, { customerExternalId: null, email: batch[1].email, orderExternalIds: [] });
    const results = await ingestNewOrders(shop.channel, batch, { actor: "test" });
    expect(results.map(Boolean)).toEqual([true, false, true]);
    await ingestChannelOrder(shop.channel, batch[1], { actor: "test" });
    const stored = await database().get<{ email: string | null; redactedAt: string | null }>(`SELECT "email","redactedAt" FROM "Order" WHERE "shopId" = ? AND "externalId" = ?`, shop.shopId, batch[1].externalId);
    expect(stored).toEqual({ email: null, redactedAt: expect.any(String) });
  });
});

describe("imports through the batch intake ≡ one by one", () => {
  const reportSkus = ["AMZ-0000", "AMZ-0001", "AMZ-0002", "AMZ-0003", "AMZ-0004"];
  async function amazonShop() {
    const { shopId, locations } = await shopWith([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    for (const [i, sku] of reportSkus.entries()) await addSku(shopId, sku, { [locations[0]]: 20 + i * 5, [locations[1]]: 15, [locations[3]]: i * 4 });
    const channel = await database().transaction((tx) => ensureChannel(tx, shopId, "amazon", "Amazon US"));
    return { shopId, channelId: channel.id };
  }
  async function importAmazon(shopId: string, channelId: string, text: string, batchSize?: number) {
    const { importId } = await createImport(shopId, { format: "amazon-orders-report", bytes: new TextEncoder().encode(text), filename: "all-orders.txt", channelId, mode: "all-or-nothing", source: "api" }, { queue: false });
    await runImport(shopId, importId, { batchSize, inFlight: 1 });
    return readImport(shopId, importId, { limit: 10_000 });
  }

  it("an Amazon report (MFN, FBA, cancelled, shipped; stock short): the same state, the same line results; the same file again changes nothing", async () => {
    const report = generateAllOrdersReport({ lines: 700, seed: 7, skus: reportSkus });
    const one = await amazonShop();
    const many = await amazonShop();
    const a = await importAmazon(one.shopId, one.channelId, report.text, 1);
    const b = await importAmazon(many.shopId, many.channelId, report.text);
    expect(b.status).toBe("done");
    expect(b.summary).toEqual(a.summary);
    const lineResults = (v: typeof a) => v.lines.map((l) => ({ line: l.line, ok: l.ok, message: l.message }));
    expect(lineResults(b)).toEqual(lineResults(a));
    const state = await observableState(many.shopId);
    expect(state).toEqual(await observableState(one.shopId));
    expect(state.allocations.some((x) => x.status === "backordered")).toBe(true);
    expect(state.fulfillments.length).toBeGreaterThan(0);
    expect(await stockInvariants(many.shopId)).toEqual([]);

    const again = await importAmazon(many.shopId, many.channelId, report.text);
    expect(again.summary!.created).toBe(0);
    expect(await observableState(many.shopId)).toEqual(state);
  }, 120_000);

  it("a CSV of purchase orders: the same state, the same line results; the same file again changes nothing", async () => {
    const skus = Array.from({ length: 12 }, (_, i) => `WS-${String(i).padStart(4, "0")}`); // the generator picks up to 8 distinct SKUs per PO
    const parts = skus.map((_, i) => `BUYER-${90_000 + i}`);
    const file = generatePurchaseOrders({ lines: 400, seed: 5, skus, parts });
    const setUp = async () => {
      const { shopId, locations } = await shopWith([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
      for (const [i, sku] of skus.entries()) await addSku(shopId, sku, { [locations[0]]: 10 + i * 4, [locations[2]]: 12 });
      const partner = await createTradingPartner(shopId, { code: "BUY", name: "Buyer", currency: "USD" });
      await savePartnerItems(shopId, partner.id, skus.map((sku, i) => ({ sku, buyerPartNumber: parts[i], unitPriceMinor: 500 + i })));
      return { shopId };
    };
    const run = async (shopId: string, batchSize?: number) => {
      const { importId } = await createImport(shopId, { format: "csv-po", bytes: new TextEncoder().encode(file.text), filename: "pos.csv", partner: "BUY", mode: "all-or-nothing", source: "api" }, { queue: false });
      await runImport(shopId, importId, { batchSize, inFlight: 1 });
      return readImport(shopId, importId, { limit: 10_000 });
    };
    const one = await setUp();
    const many = await setUp();
    const a = await run(one.shopId, 1);
    const b = await run(many.shopId);
    expect(b.status).toBe("done");
    expect(b.summary).toEqual(a.summary);
    expect(b.lines.map((l) => l.message)).toEqual(a.lines.map((l) => l.message));
    const state = await observableState(many.shopId);
    // Placed-at and promised-by are the intake's time (a PO gives none): the same in both but for the clock.
    const timeless = (s: typeof state) => ({ ...s, orders: s.orders.map((o) => ({ ...o, placedAt: null, promisedBy: null })) });
    expect(timeless(state)).toEqual(timeless(await observableState(one.shopId)));
    expect(state.allocations.some((x) => x.status === "backordered")).toBe(true);
    expect(await stockInvariants(many.shopId)).toEqual([]);
    const keys = async (shopId: string) => Number((await database().get<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "ApiIdempotencyKey" WHERE "shopId" = ?`, shopId))!.n);
    expect(await keys(many.shopId)).toBe(await keys(one.shopId));

    const again = await run(many.shopId);
    expect(again.summary!.created).toBe(0);
    expect(again.summary!.unchanged).toBe(a.summary!.created);
    expect(await observableState(many.shopId)).toEqual(state);
  }, 120_000);
});
