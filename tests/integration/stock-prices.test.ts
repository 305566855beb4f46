import { beforeAll, describe, expect, it } from "vitest";
import { upsertLocation } from "~/.server/db/catalog";
import { database } from "~/.server/db/database";
import { ensureShop } from "~/.server/db/shops";
import { loadStockPrices } from "~/.server/db/planning-sql";
import { setQueue } from "~/.server/jobs/queue";
import { planStockPricesJob } from "~/.server/jobs/definitions";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { getOrderDetail } from "~/.server/use-cases/get-order-detail";
import { planShopStockPrices } from "~/.server/use-cases/plan-stock-prices";
import { decodeDecision, type RoutingDecision } from "~/domain/routing";
import { addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryNumber, queryRow } from "../support/db-query";

// Inventory-aware routing in production: the planning job forecasts each shop's demand from its own
// orders, prices the scarce stock, and live allocation ranks with those prices — per shop, while fresh.
//
// Network: Seattle holds few units of GEAR and is the only cheap source for Seattle's customers; Dallas
// holds plenty. Boise is a little cheaper to serve from Seattle, so without prices a Boise order takes a
// unit Seattle's customers will want.

setQueue(new InProcessQueue()); // apply-routing jobs are recorded, not run, here
const SHOP = "plan-a.myshopify.com";
const OTHER = "plan-b.myshopify.com";
const SEATTLE = { latitude: 47.61, longitude: -122.33 };
const DALLAS = { latitude: 32.78, longitude: -96.8 };
const BOISE = { latitude: 43.62, longitude: -116.2 };
const NOW = new Date("2026-03-10T15:00:00Z"); // a Tuesday, before the locations' cut-off
const DAY = 86_400_000;

interface Network {
  shopId: string;
  seattle: string;
  dallas: string;
}

async function network(domain: string): Promise<Network> {
  const shopId = (await ensureShop(domain)).id;
  const at = (externalId: string, name: string, c: { latitude: number; longitude: number }) =>
    database().transaction((tx) => upsertLocation(tx, shopId, { externalId, name, active: true, countryCode: "US", ...c }, { dailyCapacity: 10_000, carrierCutoff: "22:00", timezone: "UTC", handlingCostMinor: 300 }));
  const seattle = (await at("1", "Seattle", SEATTLE)).id;
  const dallas = (await at("2", "Dallas", DALLAS)).id;
  await addSku(shopId, "GEAR", { [seattle]: 50, [dallas]: 1000 });
  return { shopId, seattle, dallas };
}

function orderTo(place: { latitude: number; longitude: number }, externalId: string, placedAt: Date) {
  const order = channelOrder([{ sku: "GEAR", quantity: 1 }], { externalId, placedAt: placedAt.toISOString() });
  return { ...order, shipTo: { ...order.shipTo!, city: "x", latitude: place.latitude, longitude: place.longitude } };
}

async function shippedFrom(domain: string, orderId: string): Promise<{ locations: string[]; decision: RoutingDecision }> {
  const row = await queryRow<{ explanation: string }>(
    `SELECT d."explanation" AS "explanation" FROM "RoutingDecision" d JOIN "Shop" s ON s."id" = d."shopId" WHERE s."domain" = ? AND d."orderId" = ? ORDER BY d."createdAt" DESC, d."id" DESC LIMIT 1`,
    domain, orderId,
  );
  const decision = decodeDecision(row!.explanation);
  return { locations: decision.shipments.map((s) => s.locationId), decision };
}

let a: Network;
let b: Network;

beforeAll(async () => {
  a = await network(SHOP);
  b = await network(OTHER);
  // A week of Seattle demand in shop A only: 6 orders a day, each shipped from Seattle (44 → 8 left there).
  for (let i = 0; i < 42; i += 1) {
    const placedAt = new Date(NOW.getTime() - 7 * DAY + i * 4 * 3_600_000);
    await ingestOn(SHOP, "manual", orderTo(SEATTLE, `hist-${i}`, placedAt), { now: placedAt });
  }
});

describe("stock price planning", () => {
  it("the job stores one compact row of prices for the shop: scarce Seattle stock is priced, Dallas' plenty is not", async () => {
    await planStockPricesJob.perform({ data: { shopDomain: SHOP } } as Parameters<typeof planStockPricesJob.perform>[0]);
    const planned = await planShopStockPrices(a.shopId, { now: NOW }); // on demand, at a fixed time for the test
    expect(planned.version).toBe(2);
    expect(planned.stats).toMatchObject({ orders: 42, salesLines: 42, skusForecast: 1, pricedEntries: 1, horizonDays: 7 });
    const row = (await loadStockPrices(database(), a.shopId))!;
    const prices = JSON.parse(row.prices) as Record<string, Record<string, number>>;
    expect(Object.keys(prices)).toEqual([a.seattle]);
    expect(prices[a.seattle].GEAR).toBeGreaterThan(0);
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "StockPricePlan" WHERE "shopId" = ?`, a.shopId)).toBe(1); // one row per shop, replaced
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'routing.stock_prices_planned'`, a.shopId)).toBe(2);
  });

  it("allocation ranks with them: a Boise order leaves Seattle's scarce unit for Seattle, and the order page says why", async () => {
    const { orderId } = await ingestOn(SHOP, "manual", orderTo(BOISE, "boise-1", NOW), { now: NOW });
    const { locations, decision } = await shippedFrom(SHOP, orderId);
    expect(locations).toEqual([a.dallas]);
    expect(decision.explanation.stockValue).toMatchObject({ changedChoice: true, chosenMinor: 0, passedOver: { locationIds: [a.seattle] } });
    const page = await getOrderDetail(a.shopId, orderId);
    expect(page!.decisions[0].headline).toMatch(/counting the value of scarce stock/);
    expect(page!.decisions[0].stockValue).toMatchObject({ changedChoice: true, passedOver: { locations: ["Seattle"] } });
  });

  it("another shop never sees these prices: the same order there ships from Seattle", async () => {
    await planShopStockPrices(b.shopId, { now: NOW }); // shop B has no history: nothing is scarce for it
    expect(JSON.parse((await loadStockPrices(database(), b.shopId))!.prices)).toEqual({});
    const { orderId } = await ingestOn(OTHER, "manual", orderTo(BOISE, "boise-b", NOW), { now: NOW });
    const { locations, decision } = await shippedFrom(OTHER, orderId);
    expect(locations).toEqual([b.seattle]);
    expect(decision.explanation.stockValue).toMatchObject({ changedChoice: false });
  });

  it("stale prices are ignored: three days later the same order takes the cheapest stock again", async () => {
    const later = new Date(NOW.getTime() + 3 * DAY);
    const { orderId } = await ingestOn(SHOP, "manual", orderTo(BOISE, "boise-late", later), { now: later });
    const { locations, decision } = await shippedFrom(SHOP, orderId);
    expect(locations).toEqual([a.seattle]);
    expect(decision.explanation.stockValue).toBeUndefined();
  });
});
